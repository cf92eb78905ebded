/** What the referrals emulator tells the dispatcher when a referral changes (one per create or update). */
export type { ReferralChange } from '../referrals/referral-change.ts';
