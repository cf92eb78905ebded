/**
 * Scenario 3 — remote calls per referral, counted at the emulators: a new referral, an update that
 * changes nothing the lead maps, and a burst of 10 mapped updates within one second; each for one
 * referral and for many at once. Calls are Referrals + Dataverse + webhook API requests made by the
 * connector (the echo of its own write-back included); tokens are counted apart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatedCrm, EmulatorWorld } from '@referral-connector/emulators';
import { LIFTED_DATAVERSE_LIMITS } from '../support/bench-world.ts';
import { type ConnectedWorld, startConnectedWorld } from '../support/connected-world.ts';
import type { ScenarioContext } from '../support/scenario-context.ts';
import { waitSettled } from '../support/settle.ts';
import { median, round } from '../support/stats.ts';

export type PhaseCounts = {
  referrals: number;
  callsPerReferral: number;
  /** Referral list pages read by the reconciler (every 5 minutes by default), if a pass fell in the phase. */
  reconcilerCalls: number;
  /** Dataverse change-feed pages read by the CRM change poller (every minute by default), counted apart. */
  changeFeedCalls: number;
  syncsPerReferral: number;
  maxSyncsPerReferral: number;
  tokensFetched: number;
  /** Calls per endpoint over the whole phase. */
  byEndpoint: Record<string, number>;
};

const LIST_ENDPOINT = 'GET /v1.0/engagements/referrals';

/** Per emulated CRM: the service its calls are counted under, its change-feed and token endpoints. */
const CRM_COUNTING: Record<
  EmulatedCrm,
  { service: 'dataverse' | 'salesforce' | 'hubspot'; changeFeed: string; token?: string }
> = {
  dynamics: { service: 'dataverse', changeFeed: 'GET /leads' },
  salesforce: {
    service: 'salesforce',
    changeFeed: 'GET /services/data/v62.0/query',
    token: 'POST /services/oauth2/token',
  },
  hubspot: { service: 'hubspot', changeFeed: 'POST /crm/v3/objects/:objectType/search' },
};

export type CallsRun = { single: Record<PhaseName, PhaseCounts>; many: Record<PhaseName, PhaseCounts> };
export type PhaseName = 'new' | 'noopUpdate' | 'burst10';

export type CallsFigures = {
  /** Headline figures are for `manyReferrals` referrals at once (tokens amortised). */
  new: number | null;
  noopUpdate: number | null;
  burst10Syncs: number | null;
  /** Token requests to Entra during each phase over `manyReferrals` referrals; the warm-up fetched the first ones. */
  tokensFetched: { warmUp: number; new: number | null; noopUpdate: number | null; burst10: number | null };
  tokensPerReferral: number | null;
  single: { new: number | null; noopUpdate: number | null; burst10Syncs: number | null };
  manyReferrals: number;
  runs: CallsRun[];
  /** The same headline figures with Salesforce as the CRM (one run, `manyReferrals` at once). */
  salesforce?: CrmCallsFigures;
  /** And with HubSpot (leads): the contact makes a new referral one call more than Dynamics. */
  hubspot?: CrmCallsFigures;
};

export type CrmCallsFigures = {
  new: number;
  noopUpdate: number;
  burst10Syncs: number;
  tokensPerReferral: number;
  byEndpoint: Record<PhaseName, Record<string, number>>;
};

export async function runCalls(ctx: ScenarioContext): Promise<CallsFigures> {
  const many = ctx.quick ? 50 : 1_000;
  const salesforce = await runCrmCalls(ctx, 'salesforce', many);
  const hubspot = await runCrmCalls(ctx, 'hubspot', many);
  const runs: CallsRun[] = [];
  let warmUpTokens = 0;
  const connected = await startConnectedWorld(ctx, 'calls', {
    seed: 'bench-calls',
    dataverseLimits: LIFTED_DATAVERSE_LIMITS,
  });
  try {
    warmUpTokens = (await measurePhases(connected, 5)).new.tokensFetched;
    let atOnce: Record<PhaseName, PhaseCounts> | undefined;
    for (let run = 1; run <= ctx.runs; run++) {
      const single = await measurePhases(connected, 1);
      // The 1,000-referral phases take ~45 s and their counts barely move between runs: once in a full run.
      if (ctx.quick || !atOnce) atOnce = await measurePhases(connected, many);
      runs.push({ single, many: atOnce });
      ctx.log(
        `calls run ${run}: new ${single.new.callsPerReferral}/${atOnce.new.callsPerReferral}, ` +
          `no-op update ${single.noopUpdate.callsPerReferral}/${atOnce.noopUpdate.callsPerReferral}, ` +
          `burst syncs ${single.burst10.syncsPerReferral}/${atOnce.burst10.syncsPerReferral} ` +
          `(1 referral / ${many} referrals)`,
      );
    }
  } finally {
    await connected.close();
  }
  const pick = (side: 'single' | 'many', phase: PhaseName, figure: keyof PhaseCounts) =>
    round(median(runs.map((r) => r[side][phase][figure] as number)), 2);
  return {
    new: pick('many', 'new', 'callsPerReferral'),
    noopUpdate: pick('many', 'noopUpdate', 'callsPerReferral'),
    burst10Syncs: pick('many', 'burst10', 'syncsPerReferral'),
    tokensFetched: {
      warmUp: warmUpTokens,
      new: pick('many', 'new', 'tokensFetched'),
      noopUpdate: pick('many', 'noopUpdate', 'tokensFetched'),
      burst10: pick('many', 'burst10', 'tokensFetched'),
    },
    tokensPerReferral: round((pick('many', 'new', 'tokensFetched') ?? 0) / many, 3),
    single: {
      new: pick('single', 'new', 'callsPerReferral'),
      noopUpdate: pick('single', 'noopUpdate', 'callsPerReferral'),
      burst10Syncs: pick('single', 'burst10', 'syncsPerReferral'),
    },
    manyReferrals: many,
    runs,
    salesforce,
    hubspot,
  };
}

/** The headline phases once, on another CRM than Dynamics: what the adapter costs in calls. */
async function runCrmCalls(ctx: ScenarioContext, crm: EmulatedCrm, many: number): Promise<CrmCallsFigures> {
  const connected = await startConnectedWorld(ctx, `calls-${crm}`, {
    seed: `bench-calls-${crm}`,
    crm,
    nonDefault: true,
  });
  try {
    await measurePhases(connected, 5, crm);
    const phases = await measurePhases(connected, many, crm);
    ctx.log(
      `calls on ${crm}: new ${phases.new.callsPerReferral}, no-op update ${phases.noopUpdate.callsPerReferral}, ` +
        `burst syncs ${phases.burst10.syncsPerReferral} (${many} referrals)`,
    );
    return {
      new: phases.new.callsPerReferral,
      noopUpdate: phases.noopUpdate.callsPerReferral,
      burst10Syncs: phases.burst10.syncsPerReferral,
      tokensPerReferral: round(phases.new.tokensFetched / many, 3) ?? 0,
      byEndpoint: {
        new: phases.new.byEndpoint,
        noopUpdate: phases.noopUpdate.byEndpoint,
        burst10: phases.burst10.byEndpoint,
      },
    };
  } finally {
    await connected.close();
  }
}

async function measurePhases(
  connected: ConnectedWorld,
  count: number,
  crm: EmulatedCrm = 'dynamics',
): Promise<Record<PhaseName, PhaseCounts>> {
  const { world } = connected.bench;
  const ids: string[] = [];
  const created = await phase(connected, count, crm, () => {
    for (let i = 0; i < count; i++) ids.push(world.referrals.create({}, { as: 'microsoft' }).id);
  });
  // `region` is not mapped to the lead (mapping/README.md): the referral changes, the lead must not.
  const noop = await phase(connected, count, crm, () => {
    for (const id of ids)
      world.referrals.update(id, { customerProfile: { address: { region: `r${Date.now()}` } } });
  });
  const burst = await phase(connected, count, crm, async () => {
    for (let round = 0; round < 10; round++) {
      for (const id of ids) world.referrals.update(id, { details: { dealValue: 10_000 + round * 100 } });
      if (round < 9) await sleep(100);
    }
  });
  return { new: created, noopUpdate: noop, burst10: burst };
}

async function phase(
  { bench, connector }: ConnectedWorld,
  referrals: number,
  crm: EmulatedCrm,
  act: () => void | Promise<void>,
): Promise<PhaseCounts> {
  const { world } = bench;
  if (!(await waitSettled(world, connector, 120_000))) throw new Error('calls: not settled before a phase');
  world.traffic.reset();
  const syncs = new Map<string, number>();
  const unsubscribe = connector.onSettled((event) => {
    if (event.outcome === 'synced') syncs.set(event.referralId, (syncs.get(event.referralId) ?? 0) + 1);
  });
  await act();
  if (!(await waitSettled(world, connector, 300_000))) throw new Error('calls: phase did not settle');
  await sleep(100);
  unsubscribe();
  return countsOf(world, referrals, syncs, CRM_COUNTING[crm]);
}

function countsOf(
  world: EmulatorWorld,
  referrals: number,
  syncs: Map<string, number>,
  crm: (typeof CRM_COUNTING)[EmulatedCrm],
): PhaseCounts {
  const counters = world.traffic.counters();
  const byEndpoint: Record<string, number> = {};
  let calls = 0;
  let reconcilerCalls = 0;
  let changeFeedCalls = 0;
  let tokensFetched = 0;
  for (const service of ['referrals', crm.service, 'webhooks'] as const) {
    for (const [endpoint, counter] of Object.entries(counters[service].byEndpoint)) {
      byEndpoint[`${service} ${endpoint}`] = counter.count;
      if (service === 'referrals' && endpoint === LIST_ENDPOINT) reconcilerCalls += counter.count;
      else if (service === crm.service && endpoint === crm.changeFeed) changeFeedCalls += counter.count;
      else if (service === crm.service && endpoint === crm.token) tokensFetched += counter.count;
      else calls += counter.count;
    }
  }
  for (const [endpoint, counter] of Object.entries(counters.entra.byEndpoint)) {
    byEndpoint[`entra ${endpoint}`] = counter.count;
    if (endpoint.includes('token')) tokensFetched += counter.count;
  }
  const perReferral = [...syncs.values()];
  return {
    referrals,
    callsPerReferral: round(calls / referrals, 2) ?? 0,
    reconcilerCalls,
    changeFeedCalls,
    syncsPerReferral: round(perReferral.reduce((a, b) => a + b, 0) / referrals, 2) ?? 0,
    maxSyncsPerReferral: Math.max(0, ...perReferral),
    tokensFetched,
    byEndpoint,
  };
}
