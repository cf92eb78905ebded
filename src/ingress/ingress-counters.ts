import type { NotificationKind } from './notification.ts';
import { REJECTION_REASONS, type RejectionReason } from './rejection-reasons.ts';

/** Plain counts the metrics endpoint can read; every reason starts at zero so dashboards see all series. */
export type IngressCounters = {
  accepted: Record<NotificationKind, number>;
  rejected: Record<RejectionReason, number>;
};

export function createIngressCounters(): IngressCounters {
  return {
    accepted: { sync: 0, test: 0, ignored: 0 },
    rejected: Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0])) as Record<
      RejectionReason,
      number
    >,
  };
}

export function totalRejected(counters: IngressCounters): number {
  return Object.values(counters.rejected).reduce((sum, count) => sum + count, 0);
}
