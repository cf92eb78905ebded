/**
 * Microsoft's side of the chaos run: creates referrals and edits them, paced over a duration, through the
 * emulator's state (each write makes Partner Center notify the connector). A few referrals name a customer
 * the CRM's plug-in refuses, so they can never sync. Choices are drawn from a seeded stream.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorWorld, Random } from '@referral-connector/emulators';

export type LoadPlan = {
  referrals: number;
  /** Every `unsyncableEvery`-th referral names `rejectedCompany` as its customer. */
  unsyncableEvery: number;
  rejectedCompany: string;
  /** Microsoft edits of referrals already created, interleaved with the creates. */
  updates: number;
  durationMs: number;
  ticks: number;
};

export type ReferralLoad = {
  /** Resolves when every create and update has been made. */
  done: Promise<void>;
  created(): number;
  updated(): number;
  readonly unsyncable: ReadonlySet<string>;
};

export function startReferralLoad(world: EmulatorWorld, plan: LoadPlan, random: Random): ReferralLoad {
  const ids: string[] = [];
  const unsyncable = new Set<string>();
  let updated = 0;

  const create = () => {
    const index = ids.length;
    const rejected = index % plan.unsyncableEvery === plan.unsyncableEvery - 1;
    const referral = world.referrals.create(
      rejected ? { customerProfile: { name: plan.rejectedCompany } } : {},
      { as: 'microsoft' },
    );
    ids.push(referral.id);
    if (rejected) unsyncable.add(referral.id);
  };

  const update = () => {
    const id = ids[random.int(0, ids.length - 1)];
    if (id === undefined) return;
    const current = world.referrals.get(id);
    const kind = random.int(0, 2);
    const changes =
      kind === 0
        ? { details: { dealValue: Math.round(Number(current?.details?.dealValue ?? 10_000) * 1.07) + 1 } }
        : kind === 1 || unsyncable.has(id)
          ? { details: { notes: `Customer call #${updated + 1}: budget confirmed.` } }
          : { customerProfile: { name: `Renamed Customer ${updated + 1} Ltd` } };
    world.referrals.update(id, changes);
    updated += 1;
  };

  const run = async () => {
    const pause = plan.durationMs / plan.ticks;
    let createsDone = 0;
    let updatesDone = 0;
    for (let tick = 1; tick <= plan.ticks; tick++) {
      const createsDue = Math.round((plan.referrals * tick) / plan.ticks);
      const updatesDue = Math.round((plan.updates * tick) / plan.ticks);
      for (; createsDone < createsDue; createsDone++) create();
      for (; updatesDone < updatesDue; updatesDone++) update();
      await sleep(pause);
    }
  };

  return { done: run(), created: () => ids.length, updated: () => updated, unsyncable };
}
