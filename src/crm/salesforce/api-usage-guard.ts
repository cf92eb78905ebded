/**
 * Keeps the connector inside its share of the org's daily API allocation. Salesforce counts every call
 * against one org-wide allocation and reports it on each response (`Sforce-Limit-Info: api-usage=N/MAX`,
 * spec crm.md §B6) but never says when it frees up, so a backfill must stop itself before the partner's own
 * users and integrations are locked out.
 */
import { RemoteError } from '../../net/remote-error.ts';

export type ApiUsage = { used: number; max: number };

/** `api-usage=18/15000` (other parts, like the pilot's per-app usage, are ignored). */
export function parseLimitInfo(header: string | undefined): ApiUsage | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  if (!match) return undefined;
  const used = Number(match[1]);
  const max = Number(match[2]);
  return max > 0 ? { used, max } : undefined;
}

export type ApiUsageGuard = {
  /** Throws a `retry` RemoteError while usage is at or over the share; otherwise returns. */
  check(): void;
  observe(header: string | undefined): void;
  /** The latest usage seen, for `status` and `doctor`. */
  readonly usage: ApiUsage | undefined;
};

export function createApiUsageGuard(options: {
  share: number;
  pauseMs: number;
  now?: () => number;
}): ApiUsageGuard {
  const now = options.now ?? Date.now;
  let usage: ApiUsage | undefined;
  let blockedUntil = 0;
  return {
    check() {
      if (now() < blockedUntil) {
        // Past the pause one call goes through: its answer says whether the allocation has freed up.
        throw new RemoteError({
          remote: 'salesforce',
          disposition: 'retry',
          code: 'salesforce_allocation_share_used',
          retryAfterMs: blockedUntil - now(),
          message: `the org has used ${usage?.used}/${usage?.max} API calls today, over the connector's share (${options.share}); it waits for the allocation to free up`,
        });
      }
    },
    observe(header) {
      const seen = parseLimitInfo(header);
      if (!seen) return;
      usage = seen;
      if (seen.used >= seen.max * options.share) blockedUntil = now() + options.pauseMs;
    },
    get usage() {
      return usage;
    },
  };
}
