/**
 * What the referrals emulator tells its listeners after every write (API, control route or state call):
 * one change per create or update. The webhook dispatcher turns each into a Partner Center notification.
 */
export type ReferralChange = {
  eventName: 'referral-created' | 'referral-updated';
  referralId: string;
  /** The referral's `updatedDateTime` after the write (7 fractional digits, `Z`). */
  changedAt: string;
};

export type ReferralChangeListener = (change: ReferralChange) => void;
