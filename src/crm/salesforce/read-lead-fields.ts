/**
 * For `mapping preview`: the fields an upsert of a draft would send, and the same fields of the lead as
 * the org holds it (one GET by the referral id; a field the org does not have is refused there, by name).
 */
import type { LeadDraft } from '../../core/index.ts';
import type { HttpRequest, HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { LeadFieldsReading } from '../crm-adapter.ts';
import { type LeadFieldOptions, toLeadFields } from './lead-fields.ts';

export type LeadFieldsContext = {
  send(request: HttpRequest, what: string, isSuccess: (r: HttpResponse) => boolean): Promise<HttpResponse>;
  /** The lead's URL by the referral id (External ID). */
  leadUrl(draft: LeadDraft): string;
  fieldOptions: LeadFieldOptions;
};

export async function readSalesforceLeadFields(
  context: LeadFieldsContext,
  draft: LeadDraft,
): Promise<LeadFieldsReading> {
  const { fields, warnings } = toLeadFields(draft, context.fieldOptions);
  let record: Record<string, unknown>;
  try {
    const response = await context.send(
      { method: 'GET', url: `${context.leadUrl(draft)}?fields=${['Id', ...Object.keys(fields)].join(',')}` },
      `read lead fields ${draft.referralId}`,
      (r) => r.status === 200,
    );
    record = response.json() as Record<string, unknown>;
  } catch (error) {
    if (error instanceof RemoteError && error.disposition === 'not_found')
      return { leadId: null, fields, current: null, warnings };
    throw error;
  }
  const current: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) current[name] = record[name] ?? null;
  return { leadId: typeof record.Id === 'string' ? record.Id : null, fields, current, warnings };
}
