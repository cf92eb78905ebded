/**
 * One line of a pre-flight check (`referral-connector doctor`, and the checks `serve` runs at start):
 * what was checked, how it went, what was found, and — when it did not pass — the fix in one sentence.
 * Plain data, made by the checks of each part (configuration, Entra, Partner Center, each CRM adapter).
 *
 * - pass: ready for go-live.
 * - warn: works, but something is worth a look (a loopback public URL, an index still building).
 * - fail: syncing cannot work as configured; doctor exits non-zero.
 * - skip: not checked, because something it needs failed or is not configured (`detail` says which).
 */
export type SetupCheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type SetupCheck = {
  /** What is checked, e.g. "alternate key on lead.new_referralid". */
  name: string;
  status: SetupCheckStatus;
  /** What was found. */
  detail: string;
  /** What to do, one sentence (warn and fail). */
  fix?: string;
};

export const passed = (name: string, detail: string): SetupCheck => ({ name, status: 'pass', detail });

export const failed = (name: string, detail: string, fix: string): SetupCheck => ({
  name,
  status: 'fail',
  detail,
  fix,
});

export const warned = (name: string, detail: string, fix: string): SetupCheck => ({
  name,
  status: 'warn',
  detail,
  fix,
});

export const skipped = (name: string, detail: string): SetupCheck => ({ name, status: 'skip', detail });
