import { type KeyObject, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { createHttpClient } from '../net/http-client.ts';
import { type DownloadLimits, downloadCertificate } from './certificate-download.ts';
import { parseCertificate, parsePemBundle } from './certificate-encoding.ts';
import {
  type CertificateUrlPolicy,
  checkCertificateUrl,
  PARTNER_CENTER_CERTIFICATE_PATH,
} from './certificate-url.ts';
import { buildChain, type ChainMaterial, caIssuersUrls } from './chain-validation.ts';
import { createExpiringCache, type ExpiringCache } from './expiring-cache.ts';
import { INGRESS_DEFAULTS } from './ingress-defaults.ts';
import { createMissBudget } from './miss-budget.ts';
import { type Refusal, refuse } from './rejection-reasons.ts';

/**
 * A signing certificate downloaded, parsed and placed on a path to a trusted root. Dates are not judged
 * here: the same cached value serves every request, and each request checks them against its own clock.
 */
export type ResolvedCertificate = {
  url: string;
  leaf: X509Certificate;
  /** Parsed once: verifying with a cached KeyObject is ~6× faster than from PEM (STACK.md). */
  publicKey: KeyObject;
  /** leaf → … → trusted root. */
  chain: readonly X509Certificate[];
};

export type CertificateResolution = { ok: true; certificate: ResolvedCertificate } | Refusal;

export type CertificateLookup = (certificateUrl: string) => Promise<CertificateResolution>;

export type CertificateSourceOptions = {
  /** Hosts `x-ms-certificate-url` may name; exact names or `*.suffix`, `:port` for a non-default port. */
  allowedHosts?: readonly string[];
  /** Hosts AIA caIssuers URLs may name (same forms). */
  issuerHosts?: readonly string[];
  allowHttpIssuers?: boolean;
  /** Trust anchors added to Node's bundled roots (e.g. the emulator's root). */
  trustedRootsPem?: string;
  /** Off only when the configured roots must be the only anchors (tests of untrusted chains). */
  includeBundledRoots?: boolean;
  /** Intermediates to build paths with, so AIA downloads are not needed. */
  intermediatesPem?: string;
  /** Extra CA for the https downloads themselves (the emulator's TLS CA). */
  downloadCaPem?: string;
  maxBytes?: number;
  timeoutMs?: number;
  cacheTtlMs?: number;
  negativeTtlMs?: number;
  maxEntries?: number;
  maxIssuerDownloads?: number;
  /** Certificate URLs not in the cache that may be downloaded per `missWindowMs`. */
  missesPerWindow?: number;
  missWindowMs?: number;
  now?: () => number;
};

export type CertificateSource = {
  lookup: CertificateLookup;
  close: () => Promise<void>;
};

type Cached<T> = Promise<{ ok: true; value: T } | Refusal>;

export function createCertificateSource(options: CertificateSourceOptions = {}): CertificateSource {
  const now = options.now ?? Date.now;
  const leafPolicy: CertificateUrlPolicy = {
    allowedHosts: options.allowedHosts ?? INGRESS_DEFAULTS.certificateHosts,
    path: PARTNER_CENTER_CERTIFICATE_PATH,
  };
  const issuerPolicy: CertificateUrlPolicy = {
    allowedHosts: options.issuerHosts ?? INGRESS_DEFAULTS.issuerHosts,
    allowHttp: options.allowHttpIssuers ?? INGRESS_DEFAULTS.allowHttpIssuers,
  };
  const roots = [
    ...(options.includeBundledRoots === false ? [] : bundledRoots()),
    ...parsePemBundle(options.trustedRootsPem ?? '', 'trustedRootsPem'),
  ];
  const configuredIntermediates = parsePemBundle(options.intermediatesPem ?? '', 'intermediatesPem');
  const limits: DownloadLimits = {
    maxBytes: options.maxBytes ?? INGRESS_DEFAULTS.certificateMaxBytes,
    timeoutMs: options.timeoutMs ?? INGRESS_DEFAULTS.certificateTimeoutMs,
  };
  const ttl = options.cacheTtlMs ?? INGRESS_DEFAULTS.certificateCacheTtlMs;
  const negativeTtl = options.negativeTtlMs ?? INGRESS_DEFAULTS.certificateNegativeTtlMs;
  const maxEntries = options.maxEntries ?? INGRESS_DEFAULTS.certificateCacheMaxEntries;
  const maxIssuerDownloads = options.maxIssuerDownloads ?? INGRESS_DEFAULTS.maxIssuerDownloads;
  const http = createHttpClient({
    remote: 'certificates',
    timeoutMs: limits.timeoutMs,
    ...(options.downloadCaPem ? { extraCaPem: options.downloadCaPem } : {}),
  });

  /** Shares one download per URL between concurrent requests, then remembers the outcome. */
  function cached<T>(cache: ExpiringCache<Cached<T>>, url: URL, load: () => Cached<T>): Cached<T> {
    const key = url.href;
    const hit = cache.get(key);
    if (hit) return hit;
    const pending = load();
    cache.set(key, pending, Number.POSITIVE_INFINITY);
    pending.then(
      (result) => cache.expireAt(key, pending, now() + (result.ok ? ttl : negativeTtl)),
      () => cache.expireAt(key, pending, now()),
    );
    return pending;
  }

  // Leaves: successes and failures apart, so failing URLs (anyone can make those up) never push a
  // genuine certificate out; and the URLs that resolved lately, whose refresh the budget never blocks.
  const leaves = createExpiringCache<ResolvedCertificate>({ maxEntries, now });
  const leafFailures = createExpiringCache<Refusal>({ maxEntries, now });
  const knownGood = createExpiringCache<true>({ maxEntries, now });
  const leavesInFlight = new Map<string, Promise<CertificateResolution>>();
  const missBudget = createMissBudget({
    limit: options.missesPerWindow ?? INGRESS_DEFAULTS.certificateMissesPerWindow,
    windowMs: options.missWindowMs ?? INGRESS_DEFAULTS.certificateMissWindowMs,
    now,
  });
  const issuers = createExpiringCache<Cached<X509Certificate>>({ maxEntries, now });

  async function fetchCertificate(url: URL): Cached<X509Certificate> {
    const downloaded = await downloadCertificate(url, http, limits);
    if (!downloaded.ok) return downloaded;
    const parsed = parseCertificate(downloaded.bytes);
    return parsed.ok ? { ok: true, value: parsed.certificate } : parsed;
  }

  async function fetchIssuer(certificate: X509Certificate): Cached<X509Certificate> {
    let last: Refusal = refuse('certificate_untrusted', 'issuer unknown and no AIA caIssuers URL');
    for (const candidate of caIssuersUrls(certificate)) {
      const allowed = checkCertificateUrl(candidate, issuerPolicy);
      if (!allowed.ok) {
        last = refuse('certificate_untrusted', `AIA URL refused: ${allowed.reason}`);
        continue;
      }
      const issuer = await cached(issuers, allowed.url, () => fetchCertificate(allowed.url));
      if (issuer.ok) return issuer;
      // A transient failure must stay retryable; anything else means no path to a root.
      last =
        issuer.reason === 'certificate_fetch_failed'
          ? issuer
          : refuse('certificate_untrusted', `AIA ${issuer.reason}`);
    }
    return last;
  }

  async function resolveChain(leaf: X509Certificate): Cached<X509Certificate[]> {
    const downloaded: X509Certificate[] = [];
    for (;;) {
      const material: ChainMaterial = { roots, intermediates: [...configuredIntermediates, ...downloaded] };
      const search = buildChain(leaf, material);
      if (search.complete) return { ok: true, value: search.chain };
      const orphan = search.missingIssuerOf;
      if (!orphan)
        return refuse('certificate_untrusted', 'path ends at an untrusted self-issued certificate');
      if (downloaded.length >= maxIssuerDownloads)
        return refuse('certificate_untrusted', 'too many AIA downloads');
      const issuer = await fetchIssuer(orphan);
      if (!issuer.ok) return issuer;
      if (downloaded.some((known) => known.fingerprint256 === issuer.value.fingerprint256)) {
        return refuse('certificate_untrusted', 'AIA download does not issue the certificate');
      }
      downloaded.push(issuer.value);
    }
  }

  async function resolve(url: URL): Cached<ResolvedCertificate> {
    const fetched = await fetchCertificate(url);
    if (!fetched.ok) return fetched;
    const leaf = fetched.value;
    const chain = await resolveChain(leaf);
    if (!chain.ok) return chain;
    return { ok: true, value: { url: url.href, leaf, publicKey: leaf.publicKey, chain: chain.value } };
  }

  /** A cache miss: one download (plus AIA) shared by concurrent lookups, its outcome remembered. */
  function download(key: string, url: URL): Promise<CertificateResolution> {
    const pending = resolve(url).then(
      (result): CertificateResolution => {
        if (result.ok) {
          leaves.set(key, result.value, now() + ttl);
          knownGood.set(key, true, now() + INGRESS_DEFAULTS.certificateKnownGoodMs);
          return { ok: true, certificate: result.value };
        }
        leafFailures.set(key, result, now() + negativeTtl);
        return result;
      },
      (error: unknown) => refuse('certificate_fetch_failed', String(error)),
    );
    leavesInFlight.set(key, pending);
    pending.finally(() => leavesInFlight.delete(key));
    return pending;
  }

  return {
    async lookup(certificateUrl) {
      const allowed = checkCertificateUrl(certificateUrl, leafPolicy);
      if (!allowed.ok) return allowed;
      const key = allowed.url.href;
      const hit = leaves.get(key);
      if (hit) return { ok: true, certificate: hit };
      const failure = leafFailures.get(key);
      if (failure) return failure;
      const inFlight = leavesInFlight.get(key);
      if (inFlight) return inFlight;
      if (!knownGood.get(key)) {
        const spent = missBudget.take();
        if (!spent.ok) {
          return {
            ...refuse('certificate_download_budget', 'too many certificate URLs not in the cache'),
            retryAfterSeconds: Math.max(1, Math.ceil(spent.retryAfterMs / 1000)),
          };
        }
      }
      return download(key, allowed.url);
    },
    close: () => http.close(),
  };
}

let bundled: X509Certificate[] | undefined;

/** Node's bundled Mozilla roots, parsed once per process. */
function bundledRoots(): X509Certificate[] {
  bundled ??= rootCertificates.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return bundled;
}
