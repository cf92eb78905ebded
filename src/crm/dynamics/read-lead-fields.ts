/**
 * For `mapping preview`: the columns an upsert of a draft would send, and the same columns of the lead as
 * Dataverse holds it (one GET, `$select`ed; a column the organization does not have is refused there, by
 * name). The currency is shown as its `transactioncurrencyid`, the id both sides carry.
 */
import type { LeadDraft, ReferralKey } from '../../core/index.ts';
import type { HttpRequest, HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { LeadFieldsReading } from '../crm-adapter.ts';
import { toLeadColumns } from './lead-columns.ts';

const CURRENCY_BIND = 'transactioncurrencyid@odata.bind';
const CURRENCY_READ = '_transactioncurrencyid_value';

export type LeadFieldsContext = {
  send(request: HttpRequest, what: string, isSuccess: (r: HttpResponse) => boolean): Promise<HttpResponse>;
  leadUrl(referralId: ReferralKey): string;
  currencyId(isoCode: string): Promise<string | undefined>;
  referralUrlColumn: string | undefined;
};

export async function readDynamicsLeadFields(
  context: LeadFieldsContext,
  draft: LeadDraft,
): Promise<LeadFieldsReading> {
  const { columns, warnings } = toLeadColumns(draft, {
    referralUrlColumn: context.referralUrlColumn,
    currencyId: draft.currencyCode ? await context.currencyId(draft.currencyCode) : undefined,
  });
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(columns)) {
    if (name === CURRENCY_BIND)
      fields.transactioncurrencyid = /\(([^)]+)\)$/.exec(String(value))?.[1] ?? null;
    else fields[name] = value;
  }
  const select = Object.keys(fields).map((name) => (name === 'transactioncurrencyid' ? CURRENCY_READ : name));
  let row: Record<string, unknown>;
  try {
    const response = await context.send(
      {
        method: 'GET',
        url: `${context.leadUrl(draft.referralId)}?$select=${['leadid', ...select].join(',')}`,
      },
      `read lead fields ${draft.referralId}`,
      (r) => r.status === 200,
    );
    row = response.json() as Record<string, unknown>;
  } catch (error) {
    if (error instanceof RemoteError && error.disposition === 'not_found')
      return { leadId: null, fields, current: null, warnings };
    throw error;
  }
  const current: Record<string, unknown> = {};
  for (const name of Object.keys(fields))
    current[name] = row[name === 'transactioncurrencyid' ? CURRENCY_READ : name] ?? null;
  return { leadId: typeof row.leadid === 'string' ? row.leadid : null, fields, current, warnings };
}
