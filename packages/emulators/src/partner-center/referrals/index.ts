export { createReferralsEmulator, type ReferralsOptions } from './create-referrals-emulator.ts';
export { type GenerateReferralOptions, generateReferral } from './generate-referral.ts';
export type { Referral, ReferralRecord } from './referral.ts';
export type { ReferralChange, ReferralChangeListener } from './referral-change.ts';
export type { ReferralsKnobs } from './referrals-routes.ts';
export type { ReferralsState } from './referrals-state.ts';
