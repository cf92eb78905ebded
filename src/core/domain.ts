/**
 * Glossary — the words the code uses, and what they mean here.
 *
 * - **Referral**: a Partner Center lead or co-sell opportunity (`/v1.0/engagements/referrals/{id}`), as
 *   returned by the Referrals API and parsed by `src/partner-center/referral-schema.ts`. Its
 *   `status`/`substatus` follow the lifecycle in `referral-status.ts`; `eTag` guards every write back.
 * - **Referral id**: Partner Center's id of the referral (a GUID), as the API spells it.
 * - **Referral key** (`ReferralKey`): the normalised referral id written to the CRM's alternate-key /
 *   external-id / unique column. Upserting on it is what makes "exactly one lead per referral" hold.
 * - **Lead**: the CRM record we create and keep updated for a referral (Dataverse `lead`, Salesforce
 *   `Lead`, HubSpot lead or contact). We write a `LeadDraft` and read back a `LeadState`.
 * - **Lead phase** (`LeadPhase`): open / qualified / disqualified — the one thing the referral needs to know
 *   about the lead's status, whatever the CRM's own status model is.
 * - **Link**: what we remember about a referral ⇄ lead pair (`Link` in src/store/ports.ts): the lead id,
 *   the referral's eTag we last acted on, and the hash of the last lead we wrote, so an unchanged referral
 *   causes no CRM write.
 * - **Lead hash**: a stable hash of a `LeadDraft` (see `src/mapping/lead-hash.ts`).
 * - **Referral changes**: what the lead's state asks us to write back to the referral
 *   (`externalReferenceId`, `status`+`substatus`, `statusReason`); never anything for a Closed referral.
 * - **Sync**: one run of the per-referral workflow (fetch → map → upsert → write back), in
 *   src/sync/sync-referral.ts; its result is a `SyncResult`, a failure a classified `RemoteError`.
 */

declare const referralKeyBrand: unique symbol;
export type ReferralKey = string & { readonly [referralKeyBrand]: true };

/**
 * Lower-cased so that the same GUID spelt in another case (event URIs, older clients) cannot create a
 * second lead; trimmed because the key ends up in a CRM column compared verbatim.
 */
export function toReferralKey(referralId: string): ReferralKey {
  const key = referralId.trim().toLowerCase();
  if (key === '') throw new RangeError('a referral key needs a non-empty referral id');
  return key as ReferralKey;
}
