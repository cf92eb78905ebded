/**
 * Registers our callback URL for the referral events. Partner Center keeps one URL per event per
 * tenant, so registering silently takes the events from any other integration (gotcha G5): we look
 * first and refuse to overwrite a foreign URL unless told to.
 */
import type { WebhookRegistration, WebhooksClient } from './webhooks-client.ts';

export type RegisterOutcome =
  | {
      outcome: 'created' | 'updated' | 'unchanged';
      registration: WebhookRegistration;
      previous: WebhookRegistration | null;
    }
  | { outcome: 'foreign_url'; previous: WebhookRegistration };

export async function registerWebhook(
  client: WebhooksClient,
  wanted: WebhookRegistration,
  options: { overwriteForeign: boolean },
): Promise<RegisterOutcome> {
  const previous = await client.get();
  if (!previous) {
    return { outcome: 'created', registration: await client.put(wanted, 'create'), previous };
  }
  const sameUrl = previous.webhookUrl === wanted.webhookUrl;
  if (!sameUrl && previous.webhookUrl !== '' && !options.overwriteForeign)
    return { outcome: 'foreign_url', previous };
  const sameEvents =
    previous.webhookEvents.length === wanted.webhookEvents.length &&
    wanted.webhookEvents.every((event) => previous.webhookEvents.includes(event));
  if (
    sameUrl &&
    sameEvents &&
    previous.signatureInMsSignatureHeader === wanted.signatureInMsSignatureHeader
  ) {
    return { outcome: 'unchanged', registration: previous, previous };
  }
  // Keep events registered by others for other resources: the tenant's list is one list.
  const events = [...new Set([...previous.webhookEvents, ...wanted.webhookEvents])];
  return {
    outcome: 'updated',
    registration: await client.put({ ...wanted, webhookEvents: events }, 'replace'),
    previous,
  };
}
