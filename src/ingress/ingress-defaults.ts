/** Defaults of the callback ingress, in one place. */
export const INGRESS_DEFAULTS = {
  path: '/webhooks/partner-center',
  /** A notification is ~300 bytes; anything near this limit is not Partner Center. */
  bodyLimit: 64 * 1024,
  /** The documented certificate host (spec §5): Azure blob storage, not a microsoft.com name. */
  certificateHosts: ['3psostorageacct.blob.core.windows.net'],
  /**
   * Where Microsoft's issuing CAs publish their certificates (AIA caIssuers). These URLs are plain http in
   * real certificates; what they serve is only ever used after its signature chains to a trusted root.
   */
  issuerHosts: ['www.microsoft.com', 'cacerts.digicert.com'],
  allowHttpIssuers: true,
  certificateMaxBytes: 64 * 1024,
  certificateTimeoutMs: 5_000,
  /** Certificates rotate behind a stable URL only rarely; a fresh fetch per hour is plenty. */
  certificateCacheTtlMs: 60 * 60 * 1000,
  /** Failures are remembered briefly so a burst of bad requests does not become a burst of downloads. */
  certificateNegativeTtlMs: 10_000,
  certificateCacheMaxEntries: 64,
  /**
   * Certificate URLs not in the cache that may be downloaded per window, each with at most
   * `maxIssuerDownloads` AIA downloads behind it. Partner Center uses one URL, refreshed hourly; a
   * URL that resolved before is refreshed outside this budget. Beyond it: 503 + Retry-After.
   */
  certificateMissesPerWindow: 10,
  certificateMissWindowMs: 60_000,
  /** A URL that resolved within this time may be downloaded again whatever the budget says. */
  certificateKnownGoodMs: 24 * 60 * 60 * 1000,
  /** Longest chain of AIA downloads for one certificate (leaf → intermediate → cross-signed → root). */
  maxIssuerDownloads: 3,
  retryAfterSeconds: 10,
} as const;
