/**
 * How stored referrals look on the wire: links and `@odata.context` built from where the emulator is
 * served, list envelopes with `@odata.count` and `@odata.nextLink`, and `$select` projections.
 */
import type { Referral, ReferralRecord } from './referral.ts';
import { encodeSkipToken, type ListPage } from './referral-list-query.ts';

/** Where the API lives, e.g. origin "https://localhost:4433", collection path ".../v1.0/engagements/referrals". */
export type ServedAt = { origin: string; collectionPath: string };

export function presentReferral(record: ReferralRecord, at: ServedAt): Referral {
  const collection = `${at.origin}${at.collectionPath}`;
  return {
    ...structuredClone(record),
    links: {
      relatedReferrals: {
        uri: `${collection}?$filter=engagementId eq '${record.engagementId}'`,
        method: 'GET',
      },
      self: { uri: `${collection}/${record.id}`, method: 'GET' },
    },
  };
}

export function entityBody(record: ReferralRecord, at: ServedAt): Record<string, unknown> {
  return {
    '@odata.context': `${at.origin}${at.collectionPath}/$metadata#Referrals/$entity`,
    ...presentReferral(record, at),
  };
}

export function listBody(
  page: ListPage,
  at: ServedAt,
  options: { count: boolean; select: string[] | undefined },
) {
  const serviceRoot = at.collectionPath.replace(/\/engagements\/referrals$/, '');
  return {
    '@odata.context': `${at.origin}${serviceRoot}/$metadata#Referrals`,
    ...(options.count ? { '@odata.count': page.total } : {}),
    value: page.items.map((record) => select(presentReferral(record, at), options.select)),
    ...(page.next
      ? { '@odata.nextLink': `${at.origin}${at.collectionPath}?$skiptoken=${encodeSkipToken(page.next)}` }
      : {}),
  };
}

function select(referral: Referral, names: string[] | undefined): Record<string, unknown> {
  if (!names) return referral;
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(referral).filter(([key]) => wanted.has(key.toLowerCase())));
}
