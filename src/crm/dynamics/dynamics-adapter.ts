/**
 * Dynamics 365 Sales through the Dataverse Web API. The lead is addressed by its alternate key on the
 * referral-id column, so every write is one idempotent PATCH upsert (spec crm.md §A5): no
 * check-then-create, and a crash between our CRM write and our own bookkeeping cannot make a second lead.
 */
import { sendAuthorized } from '../../auth/send-authorized.ts';
import type { TokenProvider } from '../../auth/token-provider.ts';
import { type LeadDraft, type LeadState, type ReferralKey, toReferralKey } from '../../core/index.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import { type CrmAdapter, type DecidedLeads, LeadClosedError, type UpsertResult } from '../crm-adapter.ts';
import { classifyDataverseResponse } from './classify-dataverse-error.ts';
import { checkDynamicsSetup } from './dynamics-setup-checks.ts';
import { toLeadColumns } from './lead-columns.ts';
import { LEAD_STATE_COLUMNS, toLeadState } from './lead-state.ts';
import { readDynamicsLeadFields } from './read-lead-fields.ts';

export type DynamicsAdapterOptions = {
  /** Organization URL, e.g. https://contoso.crm4.dynamics.com. */
  url: string;
  apiVersion: string;
  referralIdColumn: string;
  referralUrlColumn?: string | undefined;
  http: HttpClient;
  tokens: TokenProvider;
};

const ODATA_HEADERS = {
  accept: 'application/json',
  'odata-maxversion': '4.0',
  'odata-version': '4.0',
};
const FORMATTED_VALUES = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"';
const SELECT = `$select=${LEAD_STATE_COLUMNS.join(',')}`;

/** Dataverse's "version stamp … expired" error for a delta token past its lifetime. */
const EXPIRED_VERSION_STAMP = '0x80044352';

type ChangesPage = {
  value?: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
};

function changeFeedError(message: string): RemoteError {
  return new RemoteError({ remote: 'dataverse', disposition: 'retry', code: 'change_feed_invalid', message });
}

export function createDynamicsAdapter(options: DynamicsAdapterOptions): CrmAdapter {
  const api = `${options.url.replace(/\/$/, '')}/api/data/${options.apiVersion}`;
  const currencies = new Map<string, Promise<string | undefined>>();

  const send = (request: HttpRequest, what: string, isSuccess: (r: HttpResponse) => boolean) =>
    sendAuthorized(
      options.http,
      options.tokens,
      { ...request, headers: { ...ODATA_HEADERS, ...request.headers } },
      isSuccess,
      (response) => classifyDataverseResponse(response, what),
    );

  const leadUrl = (referralId: ReferralKey) =>
    `${api}/leads(${options.referralIdColumn}='${encodeURIComponent(referralId.replaceAll("'", "''"))}')`;

  /** transactioncurrencyid for an ISO code, looked up once per code and process. */
  const currencyId = (isoCode: string): Promise<string | undefined> => {
    let cached = currencies.get(isoCode);
    if (!cached) {
      const filter = encodeURIComponent(`isocurrencycode eq '${isoCode.replaceAll("'", "''")}'`);
      cached = send(
        {
          method: 'GET',
          url: `${api}/transactioncurrencies?$select=transactioncurrencyid&$filter=${filter}`,
        },
        `GET transactioncurrencies ${isoCode}`,
        (r) => r.status === 200,
      ).then((response) => {
        const rows = (response.json() as { value?: Array<{ transactioncurrencyid?: string }> }).value ?? [];
        return rows[0]?.transactioncurrencyid;
      });
      // A failed lookup is retried next time instead of being remembered.
      cached.catch(() => currencies.delete(isoCode));
      currencies.set(isoCode, cached);
    }
    return cached;
  };

  const upsert = async (draft: LeadDraft): Promise<UpsertResult> => {
    const { columns } = toLeadColumns(draft, {
      referralUrlColumn: options.referralUrlColumn,
      currencyId: draft.currencyCode ? await currencyId(draft.currencyCode) : undefined,
    });
    const response = await send(
      {
        method: 'PATCH',
        url: `${leadUrl(draft.referralId)}?${SELECT}`,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          prefer: `return=representation,${FORMATTED_VALUES}`,
        },
        body: JSON.stringify(columns),
      },
      `upsert lead ${draft.referralId}`,
      (r) => r.status === 200 || r.status === 201,
    );
    return { ...toLeadState(response.json() as Record<string, unknown>), created: response.status === 201 };
  };

  const readLead = async (referralId: ReferralKey): Promise<LeadState | null> => {
    try {
      const response = await send(
        { method: 'GET', url: `${leadUrl(referralId)}?${SELECT}`, headers: { prefer: FORMATTED_VALUES } },
        `read lead ${referralId}`,
        (r) => r.status === 200,
      );
      return toLeadState(response.json() as Record<string, unknown>);
    } catch (error) {
      if (error instanceof RemoteError && error.disposition === 'not_found') return null;
      throw error;
    }
  };

  const changesUrl = `${api}/leads?$select=leadid,${options.referralIdColumn},statecode`;
  /** Change tracking (spec crm.md A7): the full set with a delta link first, then what changed since. */
  const decidedLeads = async (cursor: string | null): Promise<DecidedLeads> => {
    let url = cursor ?? changesUrl;
    let fromScratch = cursor === null;
    const keys = new Set<ReferralKey>();
    for (;;) {
      // Links come from the response: never follow one (with our token) off the organization's API.
      if (!url.startsWith(`${api}/`)) throw changeFeedError(`a change link left the API: ${url}`);
      let body: ChangesPage;
      try {
        const response = await send(
          { method: 'GET', url, headers: { prefer: 'odata.track-changes,odata.maxpagesize=1000' } },
          'lead changes',
          (r) => r.status === 200,
        );
        body = response.json() as ChangesPage;
      } catch (error) {
        // A delta token Dataverse no longer knows (past its lifetime, 7 days by default): start over.
        if (!fromScratch && error instanceof RemoteError && error.remoteCode === EXPIRED_VERSION_STAMP) {
          url = changesUrl;
          fromScratch = true;
          keys.clear();
          continue;
        }
        throw error;
      }
      for (const row of body.value ?? []) {
        const key = row[options.referralIdColumn];
        // Deleted rows ($deletedEntity) carry no columns; open leads leave the referral's status alone.
        if (typeof key === 'string' && key !== '' && Number(row.statecode) !== 0)
          keys.add(toReferralKey(key));
      }
      if (body['@odata.nextLink']) url = body['@odata.nextLink'];
      else if (body['@odata.deltaLink'])
        return { referralKeys: [...keys], cursor: body['@odata.deltaLink'], fromScratch };
      else
        throw changeFeedError(
          'Dataverse answered without a delta link: enable "Track changes" on the lead table, or turn the ' +
            'CRM change feed off with sync.crmPollSeconds: 0',
        );
    }
  };

  return {
    kind: 'dynamics',
    decidedLeads,
    async upsertLead(draft) {
      try {
        return await upsert(draft);
      } catch (error) {
        // Dataverse refuses edits to a qualified or disqualified lead with a generic 400 whose code is
        // not documented (spec crm.md §G); the lead's state tells whether that is what happened.
        if (!(error instanceof RemoteError && error.status === 400)) throw error;
        const state = await readLead(draft.referralId);
        if (!state || state.phase === 'open') throw error;
        throw new LeadClosedError({
          remote: 'dataverse',
          message: `lead ${state.leadId} is ${state.phase}; Dataverse keeps closed leads read-only`,
          status: error.status,
          remoteCode: error.remoteCode,
          cause: error,
        });
      }
    },
    readLead,
    readLeadFields: (draft) =>
      readDynamicsLeadFields(
        { send, leadUrl, currencyId, referralUrlColumn: options.referralUrlColumn },
        draft,
      ),
    checkSetup: (needs) =>
      checkDynamicsSetup(
        {
          api,
          send,
          referralIdColumn: options.referralIdColumn,
          referralUrlColumn: options.referralUrlColumn,
        },
        needs,
      ),
    close: () => options.http.close(),
  };
}
