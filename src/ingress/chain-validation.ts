import type { X509Certificate } from 'node:crypto';
import { type Refusal, refuse } from './rejection-reasons.ts';

/** The organization Partner Center's signing certificate is issued to (spec §5.5). */
export const PARTNER_CENTER_ORGANIZATION = 'Microsoft Corporation';

export type ChainMaterial = {
  /** Trust anchors: a chain is trusted when it reaches one of these. */
  roots: readonly X509Certificate[];
  /** Untrusted helpers for building a path (configured bundle, AIA downloads). */
  intermediates: readonly X509Certificate[];
};

/**
 * A path from a leaf towards a trust anchor. When incomplete, `missingIssuerOf` is the certificate whose
 * issuer could not be found (its AIA URL may supply it), or null when searching further is pointless
 * (self-issued but untrusted, or the path got absurdly long).
 */
export type ChainSearch =
  | { complete: true; chain: X509Certificate[] }
  | { complete: false; chain: X509Certificate[]; missingIssuerOf: X509Certificate | null };

const MAX_CHAIN_LENGTH = 6;

/**
 * Builds leaf → … → trusted root, checking names and signatures of each link (dates are checked per
 * request by `checkChainDates`, since the path itself does not change with time).
 */
export function buildChain(leaf: X509Certificate, material: ChainMaterial): ChainSearch {
  const chain = [leaf];
  let current = leaf;
  while (chain.length <= MAX_CHAIN_LENGTH) {
    if (material.roots.some((root) => root.fingerprint256 === current.fingerprint256)) {
      return { complete: true, chain };
    }
    const root = material.roots.find((candidate) => issuedBy(current, candidate));
    if (root) return { complete: true, chain: [...chain, root] };
    const next = material.intermediates.find(
      (candidate) => candidate.ca && !chain.includes(candidate) && issuedBy(current, candidate),
    );
    if (!next)
      return { complete: false, chain, missingIssuerOf: issuedBy(current, current) ? null : current };
    chain.push(next);
    current = next;
  }
  return { complete: false, chain, missingIssuerOf: null };
}

function issuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

/** Every certificate of the chain, root included, must be valid at `now`. */
export function checkChainDates(chain: readonly X509Certificate[], now: Date): { ok: true } | Refusal {
  for (const certificate of chain) {
    if (now < certificate.validFromDate) return refuse('certificate_not_yet_valid', commonName(certificate));
    if (now > certificate.validToDate) return refuse('certificate_expired', commonName(certificate));
  }
  return { ok: true };
}

export function checkOrganization(
  leaf: X509Certificate,
  organization = PARTNER_CENTER_ORGANIZATION,
): { ok: true } | Refusal {
  return subjectValues(leaf, 'O').includes(organization)
    ? { ok: true }
    : refuse('certificate_organization', subjectValues(leaf, 'O').join(',') || '(none)');
}

/** AIA caIssuers URLs, where the certificate's issuer can be downloaded. */
export function caIssuersUrls(certificate: X509Certificate): string[] {
  const urls: string[] = [];
  for (const line of (certificate.infoAccess ?? '').split('\n')) {
    const match = /^CA Issuers - URI:(.+)$/.exec(line.trim());
    if (!match?.[1]) continue;
    // Node quotes (JSON-style) values holding characters that would make the text ambiguous.
    const value = match[1].startsWith('"') ? safeJsonString(match[1]) : match[1];
    if (value) urls.push(value);
  }
  return urls;
}

function safeJsonString(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function subjectValues(certificate: X509Certificate, attribute: string): string[] {
  const prefix = `${attribute}=`;
  return certificate.subject
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

function commonName(certificate: X509Certificate): string {
  return subjectValues(certificate, 'CN')[0] ?? certificate.subject.replaceAll('\n', ', ');
}
