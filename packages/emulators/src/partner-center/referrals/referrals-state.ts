/**
 * The in-process face of the referrals emulator for tests, the demo and the webhook dispatcher:
 * Microsoft-side creates and updates, reads, knobs, and one `ReferralChange` per write.
 */
import type { Referral } from './referral.ts';
import type { ReferralChangeListener } from './referral-change.ts';
import { presentReferral, type ServedAt } from './referral-presenter.ts';
import type { ReferralAuthor, ReferralStore } from './referral-store.ts';
import type { ReferralsKnobs } from './referrals-routes.ts';

export type ReferralsState = {
  /**
   * A referral created by Microsoft (`as: 'microsoft'`: incoming, New/Pending unless a valid status pair
   * is given, expires after 14 days) or by the partner outside the API (`'partner'`: outgoing,
   * Active/Accepted). Fields not given are generated; property names may be PascalCase.
   */
  create(input: Record<string, unknown>, options: { as: ReferralAuthor }): Referral;
  /** A Microsoft-side edit as a JSON merge patch (e.g. `{details: {dealValue: 5}}`, `{status, substatus}`). */
  update(id: string, changes: Record<string, unknown>): Referral;
  get(id: string): Referral | undefined;
  /** Every referral, oldest first. */
  all(): Referral[];
  /** Adds `count` generated referrals (mixed directions and states). */
  generate(count: number): Referral[];
  /** Archives overdue incoming New referrals as Closed/Expired now rather than at the next request. */
  expireDue(): Referral[];
  /** Called once per write, synchronously after it is stored; returns an unsubscribe function. */
  onChange(listener: ReferralChangeListener): () => void;
  knobs(): ReferralsKnobs;
  setKnobs(changes: Partial<ReferralsKnobs>): ReferralsKnobs;
};

export function createReferralsState(
  store: ReferralStore,
  knobs: ReferralsKnobs,
  servedAt: () => ServedAt,
): ReferralsState {
  const present = (record: Parameters<typeof presentReferral>[0]) => presentReferral(record, servedAt());
  return {
    create: (input, { as }) => present(store.createAs(input, as)),
    update: (id, changes) => present(store.updateAsMicrosoft(id, changes)),
    get: (id) => {
      const record = store.find(id);
      return record && present(record);
    },
    all: () =>
      store
        .records()
        .toSorted((a, b) =>
          a.createdDateTime < b.createdDateTime ? -1 : a.createdDateTime > b.createdDateTime ? 1 : 0,
        )
        .map(present),
    generate: (count) => store.generate(count).map(present),
    expireDue: () => store.expireDue().map(present),
    onChange: (listener) => store.onChange(listener),
    knobs: () => ({ ...knobs }),
    setKnobs(changes) {
      if (changes.requireMfa !== undefined) knobs.requireMfa = changes.requireMfa;
      if (changes.createStatus !== undefined) knobs.createStatus = changes.createStatus;
      return { ...knobs };
    },
  };
}
