/**
 * What `referral-connector doctor` found: one line per check, each in a group (configuration, store,
 * Entra ID, webhook, CRM, clock). The connector is ready when no line failed.
 */
import type { SetupCheck, SetupCheckStatus } from '../core/setup-check.ts';

export type DoctorLine = SetupCheck & { group: string };

export type DoctorReport = {
  lines: DoctorLine[];
  /** No line failed: what the exit status says. */
  ok: boolean;
  counts: Record<SetupCheckStatus, number>;
};

export function inGroup(group: string, checks: readonly SetupCheck[]): DoctorLine[] {
  return checks.map((check) => ({ group, ...check }));
}

export function reportOf(lines: readonly DoctorLine[]): DoctorReport {
  const counts: Record<SetupCheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const line of lines) counts[line.status] += 1;
  return { lines: [...lines], ok: counts.fail === 0, counts };
}
