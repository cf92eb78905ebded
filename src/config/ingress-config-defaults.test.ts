import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INGRESS_DEFAULTS } from '../ingress/ingress-defaults.ts';
import { loadConfig } from './load-config.ts';

const config = loadConfig({ env: {}, ignoreDefaultFile: true });

describe('the configuration defaults of the ingress', () => {
  it("are the ingress's own, defined once in ingress-defaults.ts", () => {
    expect(config.server.bodyLimitBytes).toBe(INGRESS_DEFAULTS.bodyLimit);
    expect(config.partnerCenter.certificateHosts).toEqual(INGRESS_DEFAULTS.certificateHosts);
    expect(config.partnerCenter.issuerCertificateHosts).toEqual(INGRESS_DEFAULTS.issuerHosts);
  });

  it('are what the ingress README says the body limit is', () => {
    const readme = readFileSync(new URL('../ingress/README.md', import.meta.url), 'utf8');
    const mentions = readme
      .split('\n')
      .filter((line) => /body limit|bodyLimit/i.test(line) && /KiB/.test(line));
    expect(mentions.length).toBeGreaterThan(0);
    for (const line of mentions) expect(line).toContain(`${config.server.bodyLimitBytes / 1024} KiB`);
  });
});
