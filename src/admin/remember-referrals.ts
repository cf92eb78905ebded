/**
 * Keeps the console's referral records current: wraps the Referrals client the sync reads through, so
 * every referral read (and every write-back's answer) records its display fields (`Store.recordReferral`).
 * A record that cannot be written is logged and forgotten: the console showing an older name must never
 * fail a sync.
 */
import { toReferralKey } from '../core/domain.ts';
import type { Logger } from '../observability/logger.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { ReferralRecord } from '../store/console-reads.ts';
import type { Store } from '../store/ports.ts';

export function rememberReferrals(
  referrals: ReferralsClient,
  store: Pick<Store, 'recordReferral'>,
  options: { logger: Logger; now?: () => number },
): ReferralsClient {
  const now = options.now ?? Date.now;
  const remember = async (referral: Referral): Promise<Referral> => {
    await store
      .recordReferral(referralRecord(referral, new Date(now()).toISOString()))
      .catch((error: unknown) => {
        options.logger.warn(
          { err: error, referralId: referral.id },
          'could not record the referral for the console',
        );
      });
    return referral;
  };
  return {
    urlOf: (referralId) => referrals.urlOf(referralId),
    list: (query) => referrals.list(query),
    get: async (referralId) => remember(await referrals.get(referralId)),
    patch: async (referralId, operations, eTag) =>
      remember(await referrals.patch(referralId, operations, eTag)),
  };
}

export function referralRecord(referral: Referral, seenAt: string): ReferralRecord {
  return {
    referralId: toReferralKey(referral.id),
    name: referral.name ?? null,
    customerName: referral.customerProfile?.name ?? null,
    status: referral.status ?? null,
    substatus: referral.substatus ?? null,
    updatedAt: referral.updatedDateTime ?? null,
    seenAt,
  };
}
