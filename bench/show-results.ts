/**
 * Prints the markdown table of a results file (default bench/results/latest.json), e.g. to paste into
 * bench/README.md:  node bench/show-results.ts bench/results/2026-11-22.json
 */
import { readFileSync } from 'node:fs';
import { renderTable } from './support/report-table.ts';
import type { Verdict } from './support/targets.ts';

const file = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
const results = JSON.parse(readFileSync(file, 'utf8')) as {
  date: string;
  mode: string;
  machine: { cores: number; memoryMb: number; node: string; cpuModel: string };
  targets: Verdict[];
};
const { machine } = results;
process.stdout.write(
  `${results.date.slice(0, 10)}, ${results.mode} run, ${machine.cores} cores (${machine.cpuModel}), ` +
    `${Math.round(machine.memoryMb / 1024)} GB, Node ${machine.node}\n\n${renderTable(results.targets)}\n`,
);
