/**
 * The end state of a chaos run, judged referral by referral: a syncable referral needs exactly one lead
 * matching the mapping of its final state and a complete write-back; an unsyncable one must have no lead.
 * Each problem names the referral and, for a missing lead, what the dispatcher did with its events.
 */

import type { EmulatorWorld, LeadRecord } from '@referral-connector/emulators';
import { toReferralKey } from '../../src/core/index.ts';
import { type LeadExpectationContext, leadMismatches } from './lead-expectations.ts';

export type Outcome = {
  /** One line per problem, prefixed with the referral id. */
  problems: string[];
  /** Referrals with at least one problem. */
  lost: number;
  leads: number;
  /** Leads beyond the first for the same referral key. */
  duplicateLeads: number;
};

export function checkOutcome(
  world: EmulatorWorld,
  options: LeadExpectationContext & { referralIdColumn: string; unsyncable: ReadonlySet<string> },
): Outcome {
  const leads = world.dataverse.leads();
  const leadsByKey = new Map<string, LeadRecord[]>();
  for (const lead of leads) {
    const key = String(lead[options.referralIdColumn]);
    leadsByKey.set(key, [...(leadsByKey.get(key) ?? []), lead]);
  }
  const problems: string[] = [];
  const lost = new Set<string>();
  const report = (referralId: string, problem: string) => {
    problems.push(`${referralId}: ${problem}`);
    lost.add(referralId);
  };

  for (const referral of world.referrals.all()) {
    const found = leadsByKey.get(toReferralKey(referral.id)) ?? [];
    if (options.unsyncable.has(referral.id)) {
      if (found.length > 0) report(referral.id, `unsyncable but has ${found.length} lead(s)`);
      continue;
    }
    const [lead] = found;
    if (found.length !== 1 || !lead) {
      report(referral.id, `${found.length} leads; deliveries ${deliveryHistory(world, referral.id)}`);
      continue;
    }
    if (referral.status !== 'New' || referral.substatus !== 'Pending')
      report(referral.id, `${referral.status}/${referral.substatus}, expected New/Pending`);
    for (const mismatch of leadMismatches(referral, lead, options)) report(referral.id, mismatch);
  }

  return {
    problems,
    lost: lost.size,
    leads: leads.length,
    duplicateLeads: [...leadsByKey.values()].reduce((sum, same) => sum + same.length - 1, 0),
  };
}

/** `event@enqueued→outcome[attempt time:status or error,…]` for each event of the referral. */
function deliveryHistory(world: EmulatorWorld, referralId: string): string {
  return world.webhooks
    .deliveries()
    .filter((d) => d.referralId === referralId)
    .map((d) => {
      const attempts = d.attempts.map((a) => `${a.at.slice(17, 23)}:${a.status ?? a.error?.slice(0, 24)}`);
      return `${d.eventName}@${d.enqueuedAt.slice(11, 23)}→${d.outcome}[${attempts.join(',')}]`;
    })
    .join(' ');
}
