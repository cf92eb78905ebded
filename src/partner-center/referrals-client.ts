/**
 * The Referrals API (api.partner.microsoft.com/v1.0/engagements/referrals): read one referral, list
 * changed referrals, and write changes back as JSON Patch guarded by the referral's eTag.
 */
import { sendAuthorized } from '../auth/send-authorized.ts';
import type { TokenProvider } from '../auth/token-provider.ts';
import type { HttpClient } from '../net/http-client.ts';
import { RemoteError } from '../net/remote-error.ts';
import { classifyPartnerCenterResponse } from './classify-partner-center-error.ts';
import { checkNextLink } from './next-link.ts';
import { parseReferral, type Referral } from './referral-schema.ts';

/** One operation of a referral PATCH: Partner Center accepts only `replace` and `add` (spec §3.6). */
export type JsonPatchOperation = { op: 'replace' | 'add'; path: string; value: unknown };

export type ReferralsClient = {
  get(referralId: string): Promise<Referral>;
  /** Applies the operations if the referral still has `eTag`; returns the updated referral. */
  patch(referralId: string, operations: JsonPatchOperation[], eTag: string): Promise<Referral>;
  /** Referrals in pages, newest change first, following @odata.nextLink. */
  list(query: { filter?: string; orderBy?: string; top?: number }): AsyncGenerator<Referral[]>;
  /** The URL a person or a lead links to for this referral. */
  urlOf(referralId: string): string;
};

/** The URL a person or a lead links to for a referral: `<Referrals API base URL>/<id>`. */
export function referralUrlOf(baseUrl: string): (referralId: string) => string {
  const base = baseUrl.replace(/\/$/, '');
  return (id) => `${base}/${encodeURIComponent(id)}`;
}

export function createReferralsClient(options: {
  baseUrl: string;
  http: HttpClient;
  tokens: TokenProvider;
}): ReferralsClient {
  const base = options.baseUrl.replace(/\/$/, '');
  const headers = { accept: 'application/json' };
  const urlOf = referralUrlOf(base);
  const ok = (status: number) => (response: { status: number }) => response.status === status;
  const send = (request: Parameters<HttpClient['send']>[0], what: string, success = ok(200)) =>
    sendAuthorized(options.http, options.tokens, request, success, (response) =>
      classifyPartnerCenterResponse('referrals', response, what),
    );

  return {
    urlOf,
    async get(referralId) {
      const response = await send(
        { method: 'GET', url: urlOf(referralId), headers },
        `GET referral ${referralId}`,
      );
      return parseReferral(response.json());
    },
    async patch(referralId, operations, eTag) {
      const response = await send(
        {
          method: 'PATCH',
          url: urlOf(referralId),
          headers: {
            ...headers,
            'content-type': 'application/json',
            'if-match': eTag,
            prefer: 'return=representation',
          },
          body: JSON.stringify(operations),
        },
        `PATCH referral ${referralId}`,
        (response) => response.status === 200 || response.status === 204,
      );
      // Without the representation (204) the new eTag is unknown: read it back.
      return response.status === 200 && response.body.length > 0
        ? parseReferral(response.json())
        : this.get(referralId);
    },
    async *list(query) {
      const params = new URLSearchParams();
      if (query.filter) params.set('$filter', query.filter);
      if (query.orderBy) params.set('$orderby', query.orderBy);
      params.set('$top', String(query.top ?? 100));
      let next: string | undefined = `${base}?${params.toString()}`;
      while (next) {
        const response = await send({ method: 'GET', url: next, headers }, 'GET referrals');
        const page = response.json() as { value?: unknown[]; '@odata.nextLink'?: string };
        yield (page.value ?? []).map(parseReferral);
        const link = page['@odata.nextLink'];
        if (link === undefined) break;
        const allowed = checkNextLink(link, base);
        if (!allowed.ok) {
          // A page link off the API would carry the user's token elsewhere: a remote we cannot trust
          // with it, or a misconfigured base URL. Retrying cannot change either.
          throw new RemoteError({
            remote: 'referrals',
            disposition: 'dead_letter',
            code: 'referrals_next_link_refused',
            message: `@odata.nextLink not followed: it ${allowed.reason} (partnerCenter.referralsUrl is ${base})`,
          });
        }
        next = allowed.url;
      }
    },
  };
}
