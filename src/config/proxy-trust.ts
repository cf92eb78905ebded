/**
 * `server.trustProxy`: whose X-Forwarded-* headers the server believes. `false` (nobody) by default:
 * otherwise any caller could claim another address. `true` believes every hop (only behind a proxy
 * that overwrites X-Forwarded-For); a list names the proxies by address or CIDR, or by proxy-addr's
 * names `loopback`, `linklocal`, `uniquelocal`. The environment gives `true`, `false` or a
 * comma-separated list. No hop count: fastify 5.12 ignores one, as it cannot tell a proxy from a client
 * that claims hops, and a setting that silently does nothing is worse than none.
 */
import { z } from 'zod';

const proxyAddress = z.union([
  z.ipv4(),
  z.ipv6(),
  z.cidrv4(),
  z.cidrv6(),
  z.enum(['loopback', 'linklocal', 'uniquelocal']),
]);

export const proxyTrustSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === 'false') return text === 'true';
    return text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  },
  z.union([z.boolean(), z.array(proxyAddress).min(1)], {
    error: 'must be true, false, or a list of the proxies’ addresses or CIDRs (a hop count is not supported)',
  }),
);
