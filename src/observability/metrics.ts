/**
 * Prometheus metrics of one connector process. One registry per connector instance (not the global
 * default), so tests and the demo can run several side by side.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IngressCounters } from '../ingress/ingress-counters.ts';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    syncs: new Counter({
      name: 'referral_connector_syncs_total',
      help: 'Settled sync jobs by outcome (synced, retry, dead_letter) and code',
      labelNames: ['outcome', 'code'] as const,
      registers: [registry],
    }),
    syncSeconds: new Histogram({
      name: 'referral_connector_event_to_lead_seconds',
      help: 'From the first enqueue of a job to its lead being written',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    queue: new Gauge({
      name: 'referral_connector_jobs',
      help: 'Jobs by state',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
  };
}

/**
 * Publishes the ingress's plain counts: callbacks accepted by kind and rejected by reason (e.g.
 * `certificate_download_budget`, a flood of made-up certificate URLs). Read when scraped, so the
 * ingress keeps counting with plain additions on its hot path.
 */
export function exposeIngressCounters(metrics: Metrics, counters: IngressCounters): void {
  new Counter({
    name: 'referral_connector_callbacks_accepted_total',
    help: 'Partner Center callbacks accepted, by kind (sync, test, ignored)',
    labelNames: ['kind'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const [kind, count] of Object.entries(counters.accepted)) this.inc({ kind }, count);
    },
  });
  new Counter({
    name: 'referral_connector_callbacks_rejected_total',
    help: 'Partner Center callbacks rejected, by reason (src/ingress/rejection-reasons.ts)',
    labelNames: ['reason'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(counters.rejected)) this.inc({ reason }, count);
    },
  });
}
