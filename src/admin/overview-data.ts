/** Gathers what the overview shows: store and queue figures, and the remotes' state through cached probes. */
import type { PublicClientApplication } from '@azure/msal-node';
import { toReferralKey } from '../core/domain.ts';
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import type { WebhooksClient } from '../partner-center/webhooks-client.ts';
import type { JobQueue, Store } from '../store/ports.ts';
import { cachedProbe } from './cached-probe.ts';
import { partnerCenterAccount } from './partner-center-account.ts';
import type { OverviewData } from './templates/overview-page.ts';

export type OverviewSources = {
  store: Pick<Store, 'syncActivity' | 'lastInboxAt'>;
  queue: Pick<JobQueue, 'stats'>;
  webhooks: Pick<WebhooksClient, 'get'>;
  crm: Pick<CrmAdapter, 'kind' | 'readLead'>;
  partnerCenterApp: PublicClientApplication;
  referralsAudience: string;
  webhookUrl: string | undefined;
  now?: () => number;
};

/** A key no referral has: reading its lead proves the CRM answers, and finds nothing. */
const PROBE_KEY = toReferralKey('referral-connector-console-reachability-probe');

export function createOverviewData(sources: OverviewSources): () => Promise<OverviewData> {
  const now = sources.now ?? Date.now;
  const registration = cachedProbe(() => sources.webhooks.get(), { ttlMs: 60_000, timeoutMs: 3000 });
  const crm = cachedProbe(
    async () => {
      const started = performance.now();
      await sources.crm.readLead(PROBE_KEY);
      return { ms: Math.round(performance.now() - started) };
    },
    { ttlMs: 30_000, timeoutMs: 3000 },
  );
  const account = cachedProbe(
    () => partnerCenterAccount(sources.partnerCenterApp, sources.referralsAudience),
    {
      ttlMs: 5000,
      timeoutMs: 3000,
    },
  );
  return async () => {
    const at = now();
    const [activity, queue, lastInboxAt, partnerCenter, webhook, reachability] = await Promise.all([
      sources.store.syncActivity(new Date(at - 24 * 3_600_000).toISOString()),
      sources.queue.stats(),
      sources.store.lastInboxAt(),
      account(),
      registration(),
      crm(),
    ]);
    return {
      now: at,
      activity,
      queue,
      lastInboxAt,
      partnerCenter,
      registration: webhook,
      webhookUrl: sources.webhookUrl,
      crm: { kind: sources.crm.kind, reachability },
    };
  };
}
