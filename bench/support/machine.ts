import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { MB } from './stats.ts';

export type Machine = {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  platform: string;
};

export function describeMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(totalmem() / MB),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Jiffies the whole machine spent, from the first line of /proc/stat (Linux only). */
export type CpuTimes = { busy: number; idle: number; steal: number };

export function readCpuTimes(): CpuTimes | null {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
      fields.map(Number);
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
  } catch {
    return null;
  }
}

/**
 * Shares of all cores' time between two readings: `busy` (every process, ours included) and `steal`
 * (taken by the hypervisor for other guests). A run with much steal was slowed by its neighbours.
 */
export function cpuShares(
  before: CpuTimes | null,
  after: CpuTimes | null,
): { busy: number; steal: number } | null {
  if (!before || !after) return null;
  const busy = after.busy - before.busy;
  const steal = after.steal - before.steal;
  const total = busy + steal + (after.idle - before.idle);
  return total > 0 ? { busy: busy / total, steal: steal / total } : null;
}

/**
 * A fixed piece of single-threaded work — SHA-256 over 32 MB and JSON round trips — in ms (the best of
 * three). Runs on the same machine differ by up to 2–3× from day to day; this says which kind of day.
 */
export function calibrate(): number {
  const chunk = Buffer.alloc(16 * 1024, 7);
  const document = {
    id: 'x'.repeat(36),
    items: Array.from({ length: 50 }, (_, i) => ({ i, name: `n${i}` })),
  };
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    const hash = createHash('sha256');
    for (let i = 0; i < 2048; i++) hash.update(chunk);
    hash.digest();
    for (let i = 0; i < 20_000; i++) JSON.parse(JSON.stringify(document));
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best);
}
