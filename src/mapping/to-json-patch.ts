import type { JsonPatchOperation } from '../partner-center/referrals-client.ts';
import type { ReferralChanges } from './map-lead-to-referral-changes.ts';

/**
 * The PATCH body for `ReferralChanges`, in a fixed order. `/status` and `/substatus` are the documented
 * pair; `/externalReferenceId` and `/statusReason` are not among the documented paths (unconfirmed — see
 * ./README.md), which is why a status reason can be switched off in the mapping.
 */
export function toJsonPatch(changes: ReferralChanges): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  if (changes.externalReferenceId !== undefined) {
    operations.push({ op: 'replace', path: '/externalReferenceId', value: changes.externalReferenceId });
  }
  if (changes.status !== undefined) {
    operations.push(
      { op: 'replace', path: '/status', value: changes.status.to.status },
      { op: 'replace', path: '/substatus', value: changes.status.to.substatus },
    );
    if (changes.status.statusReason !== undefined) {
      operations.push({ op: 'replace', path: '/statusReason', value: changes.status.statusReason });
    }
  }
  return operations;
}
