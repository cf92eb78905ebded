import type { ReferralStatus, ReferralSubstatus } from './referral.ts';

/** §2.4: which substatus each status allows and which statuses it may move to. `None` is never valid. */
export const STATUS_RULES: Record<
  Exclude<ReferralStatus, 'None'>,
  { substatuses: readonly ReferralSubstatus[]; next: readonly ReferralStatus[] }
> = {
  New: { substatuses: ['Pending', 'Received'], next: ['New', 'Active', 'Closed'] },
  Active: { substatuses: ['Accepted'], next: ['Active', 'Closed'] },
  Closed: { substatuses: ['Won', 'Lost', 'Declined', 'Expired'], next: ['Closed'] },
};

export type StatusPair = { status: ReferralStatus; substatus: ReferralSubstatus };

/** Why a status change is refused; `undefined` when it is allowed. */
export function statusChangeProblem(from: StatusPair, to: StatusPair): string | undefined {
  if (to.status === 'None') return `Status 'None' cannot be set.`;
  const rule = STATUS_RULES[to.status];
  if (!rule.substatuses.includes(to.substatus)) {
    return `Substatus '${to.substatus}' is not valid for status '${to.status}'; allowed: ${rule.substatuses.join(', ')}.`;
  }
  if (from.status === 'None') return undefined;
  const allowed = STATUS_RULES[from.status].next;
  if (!allowed.includes(to.status)) {
    return `A referral in status '${from.status}' cannot move to '${to.status}'; allowed: ${allowed.join(', ')}.`;
  }
  return undefined;
}
