/**
 * The doctor's report for a person (one line per check under its group: ✓ passed, ✗ failed, ! worth a
 * look, - not checked; a failure or warning ends with its fix) and for scripts (JSON). Pure.
 */
import type { SetupCheckStatus } from '../core/setup-check.ts';
import type { DoctorReport } from './doctor-report.ts';

const SYMBOLS: Record<SetupCheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

export function renderReport(report: DoctorReport): string {
  const out: string[] = [];
  let group: string | undefined;
  for (const line of report.lines) {
    if (line.group !== group) {
      group = line.group;
      out.push(group);
    }
    const fix = line.fix && (line.status === 'fail' || line.status === 'warn') ? ` → ${line.fix}` : '';
    out.push(`  ${SYMBOLS[line.status]} ${line.name}: ${oneLine(line.detail)}${oneLine(fix)}`);
  }
  const { pass, warn, fail, skip } = report.counts;
  const parts = [
    `${fail} failed`,
    `${warn} to look at`,
    `${pass} passed`,
    ...(skip > 0 ? [`${skip} not checked`] : []),
  ];
  out.push('', `${report.ok ? 'ready' : 'not ready'}: ${parts.join(', ')}`);
  return `${out.join('\n')}\n`;
}

export function reportJson(report: DoctorReport): unknown {
  return {
    ok: report.ok,
    counts: report.counts,
    checks: report.lines.map(({ group, name, status, detail, fix }) => ({
      group,
      name,
      status,
      detail,
      ...(fix ? { fix } : {}),
    })),
  };
}

/** Messages from remotes may hold line breaks; the report keeps one line per check. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}
