/**
 * What `serve` checks before it starts: the cheap local checks of `doctor` (files and PEMs, public URL,
 * store location). One that would keep the connector from working refuses the start, naming the key and
 * the fix; the others are logged as warnings. A few milliseconds: nothing remote is asked.
 */
import type { Config } from '../config/config-schema.ts';
import { runLocalChecks } from './configuration-checks.ts';

export class StartRefusedError extends Error {
  readonly code = 'start_refused';
  /** The keys to fix. */
  readonly keys: readonly string[];
  constructor(lines: ReadonlyArray<{ name: string; detail: string; fix?: string | undefined }>) {
    super(
      [
        'serve did not start; fix these first (`referral-connector doctor` checks everything):',
        ...lines.map((line) => `  ✗ ${line.name}: ${line.detail}${line.fix ? ` → ${line.fix}` : ''}`),
      ].join('\n'),
    );
    this.keys = lines.map((line) => line.name);
  }
}

/** The slice of a logger the checks write their warnings to. */
export type WarningLog = { warn(fields: Record<string, unknown>, message: string): void };

export function checkBeforeStart(config: Config, logger: WarningLog): void {
  const checks = runLocalChecks(config);
  const fatal = checks.filter((check) => check.status === 'fail' && check.blocksStart);
  if (fatal.length > 0) throw new StartRefusedError(fatal);
  for (const check of checks) {
    if (check.status === 'fail' || check.status === 'warn')
      logger.warn({ check: check.name, fix: check.fix }, `${check.name}: ${check.detail}`);
  }
}
