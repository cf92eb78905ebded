import { describe, expect, it } from 'vitest';
import { createIngressCounters } from '../ingress/ingress-counters.ts';
import { createMetrics, exposeIngressCounters } from './metrics.ts';

describe('metrics', () => {
  it('publish the ingress counts by reason and kind as they are when scraped', async () => {
    const metrics = createMetrics();
    const counters = createIngressCounters();
    exposeIngressCounters(metrics, counters);
    counters.rejected.certificate_download_budget += 3;
    counters.accepted.sync += 2;

    const scraped = await metrics.registry.metrics();
    expect(scraped).toContain(
      'referral_connector_callbacks_rejected_total{reason="certificate_download_budget"} 3',
    );
    expect(scraped).toContain('referral_connector_callbacks_rejected_total{reason="signature_invalid"} 0');
    expect(scraped).toContain('referral_connector_callbacks_accepted_total{kind="sync"} 2');

    counters.rejected.certificate_download_budget += 1;
    expect(await metrics.registry.metrics()).toContain(
      'referral_connector_callbacks_rejected_total{reason="certificate_download_budget"} 4',
    );
  });
});
