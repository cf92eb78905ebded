/**
 * Salesforce through its REST API. The lead is addressed by the referral id in an External ID + Unique
 * field, so every write is one idempotent PATCH upsert (spec crm.md §B3): no check-then-create, and a
 * crash between our CRM write and our own bookkeeping cannot make a second lead.
 */
import { sendAuthorized } from '../../auth/send-authorized.ts';
import type { TokenProvider } from '../../auth/token-provider.ts';
import { type LeadDraft, type LeadState, type ReferralKey, toReferralKey } from '../../core/index.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { CrmAdapter, DecidedLeads, UpsertResult } from '../crm-adapter.ts';
import type { ApiUsageGuard } from './api-usage-guard.ts';
import { classifySalesforceResponse } from './classify-salesforce-error.ts';
import {
  type DecisionCursor,
  decisionQuery,
  nextDecisionCursor,
  parseDecisionCursor,
} from './decision-cursor.ts';
import { toLeadFields } from './lead-fields.ts';
import { LEAD_STATE_FIELDS, toLeadState } from './lead-state.ts';
import { readSalesforceLeadFields } from './read-lead-fields.ts';
import { checkSalesforceSetup } from './salesforce-setup-checks.ts';

export type SalesforceAdapterOptions = {
  instanceUrl: string;
  apiVersion: string;
  referralIdField: string;
  referralUrlField?: string | undefined;
  leadSource: string;
  disqualifiedStatuses: readonly string[];
  countryPicklists: boolean;
  http: HttpClient;
  tokens: TokenProvider;
  usage: ApiUsageGuard;
  /** How long the remote pauses when the org's allocation is used up (no Retry-After exists). */
  limitPauseMs: number;
};

type QueryPage = { records?: Array<Record<string, unknown>>; done?: boolean; nextRecordsUrl?: string };

export function createSalesforceAdapter(options: SalesforceAdapterOptions): CrmAdapter {
  const origin = options.instanceUrl.replace(/\/$/, '');
  const api = `${origin}/services/data/${options.apiVersion}`;
  const fieldList = LEAD_STATE_FIELDS.join(',');

  const send = async (request: HttpRequest, what: string, isSuccess: (r: HttpResponse) => boolean) => {
    options.usage.check();
    try {
      const response = await sendAuthorized(
        options.http,
        options.tokens,
        { ...request, headers: { accept: 'application/json', ...request.headers } },
        (r) => {
          options.usage.observe(r.headers['sforce-limit-info']);
          return isSuccess(r);
        },
        (r) => classifySalesforceResponse(r, what, { limitPauseMs: options.limitPauseMs }),
        { repeatedRefusal: 'session' },
      );
      return response;
    } catch (error) {
      // The allocation is org-wide: nothing of ours goes there until it may have freed up.
      if (error instanceof RemoteError && error.code === 'salesforce_request_limit' && error.retryAfterMs)
        options.http.pauseFor(error.retryAfterMs);
      throw error;
    }
  };

  const byReferral = (key: ReferralKey) =>
    `${api}/sobjects/Lead/${options.referralIdField}/${encodeURIComponent(key)}`;

  const readLead = async (key: ReferralKey): Promise<LeadState | null> => {
    try {
      const response = await send(
        { method: 'GET', url: `${byReferral(key)}?fields=${fieldList}` },
        `read lead ${key}`,
        (r) => r.status === 200,
      );
      return toLeadState(response.json() as Record<string, unknown>, options.disqualifiedStatuses);
    } catch (error) {
      if (error instanceof RemoteError && error.disposition === 'not_found') return null;
      throw error;
    }
  };

  const upsertLead = async (draft: LeadDraft): Promise<UpsertResult> => {
    const { fields } = toLeadFields(draft, options);
    const response = await send(
      {
        method: 'PATCH',
        url: byReferral(draft.referralId),
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(fields),
      },
      `upsert lead ${draft.referralId}`,
      (r) => r.status === 200 || r.status === 201,
    );
    const body = response.json() as { id?: unknown; created?: unknown };
    if (response.status === 201 && typeof body.id === 'string') {
      // A lead created just now is open: no seller has touched it. Its status is the org's default.
      return { leadId: body.id, phase: 'open', crmStatus: '', created: true };
    }
    // An existing lead may have been disqualified by a seller: its state is read, not assumed.
    const state = await readLead(draft.referralId);
    if (!state)
      throw new RemoteError({
        remote: 'salesforce',
        disposition: 'retry',
        code: 'salesforce_lead_vanished',
        message: `lead ${draft.referralId} was upserted but cannot be read`,
      });
    return { ...state, created: false };
  };

  /** Leads decided (converted or in a disqualifying status) since the cursor, by SystemModstamp. */
  const decidedLeads = async (cursor: string | null): Promise<DecidedLeads> => {
    const previous: DecisionCursor | undefined = cursor === null ? undefined : parseDecisionCursor(cursor);
    const rows: Array<Record<string, unknown>> = [];
    let url: string | undefined = `${api}/query?q=${encodeURIComponent(decisionQuery(options, previous))}`;
    while (url) {
      // Links come from the response: never follow one (with our token) off the org.
      if (!url.startsWith(`${origin}/services/data/`)) {
        throw new RemoteError({
          remote: 'salesforce',
          disposition: 'retry',
          code: 'change_feed_invalid',
          message: `a query link left the org: ${url}`,
        });
      }
      const response = await send({ method: 'GET', url }, 'decided leads', (r) => r.status === 200);
      const page = response.json() as QueryPage;
      rows.push(...(page.records ?? []));
      url = page.done === false && page.nextRecordsUrl ? `${origin}${page.nextRecordsUrl}` : undefined;
    }
    const { cursor: next, changed } = nextDecisionCursor(previous, rows, options.referralIdField);
    const keys = new Set<ReferralKey>();
    for (const row of changed) {
      const key = row[options.referralIdField];
      if (typeof key === 'string' && key !== '') keys.add(toReferralKey(key));
    }
    return { referralKeys: [...keys], cursor: JSON.stringify(next), fromScratch: previous === undefined };
  };

  return {
    kind: 'salesforce',
    upsertLead,
    readLead,
    decidedLeads,
    readLeadFields: (draft) =>
      readSalesforceLeadFields(
        { send, leadUrl: (d) => byReferral(d.referralId), fieldOptions: options },
        draft,
      ),
    // Sellers' decisions are read with SOQL on SystemModstamp: nothing to set up for the change feed.
    checkSetup: (needs) =>
      checkSalesforceSetup({
        api,
        send,
        referralIdField: options.referralIdField,
        referralUrlField: options.referralUrlField,
        leadSource: options.leadSource,
        disqualifiedStatuses: options.disqualifiedStatuses,
        countryPicklists: options.countryPicklists,
        extraFields: needs.extraFields,
      }),
    close: () => options.http.close(),
  };
}
