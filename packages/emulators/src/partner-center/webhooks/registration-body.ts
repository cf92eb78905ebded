/**
 * Binds a registration request body the way the real service evidently does: property names
 * case-insensitively (docs send PascalCase, the swagger camelCase), unknown properties ignored.
 * Pure; the routes turn a failure into the classic 400.
 */
import { canonicalEventName } from './webhook-events.ts';

export type RegistrationInput = {
  webhookUrl: string;
  webhookEvents: string[];
  signatureTokenToMsSignatureHeader: boolean;
};

export type RegistrationBodyResult =
  | { ok: true; value: RegistrationInput }
  | { ok: false; description: string };

export function parseRegistrationBody(body: unknown): RegistrationBodyResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      description: 'The request body must be a JSON object with WebhookUrl and WebhookEvents.',
    };
  }
  const fields = new Map(Object.entries(body).map(([key, value]) => [key.toLowerCase(), value]));

  const url = fields.get('webhookurl');
  if (typeof url !== 'string' || url.trim() === '') {
    return { ok: false, description: 'WebhookUrl is required.' };
  }
  if (!isHttpUrl(url.trim())) {
    return { ok: false, description: `WebhookUrl '${url}' is not an absolute http(s) URL.` };
  }

  const events = fields.get('webhookevents');
  if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string')) {
    return { ok: false, description: 'WebhookEvents must be a non-empty array of event names.' };
  }
  const canonical: string[] = [];
  for (const name of events as string[]) {
    const known = canonicalEventName(name);
    if (!known) return { ok: false, description: `'${name}' is not a supported webhook event.` };
    if (!canonical.includes(known)) canonical.push(known);
  }

  const flag = fields.get('signaturetokentomssignatureheader');
  if (flag !== undefined && flag !== null && typeof flag !== 'boolean') {
    return { ok: false, description: 'SignatureTokenToMsSignatureHeader must be a boolean.' };
  }

  return {
    ok: true,
    value: {
      webhookUrl: url.trim(),
      webhookEvents: canonical,
      signatureTokenToMsSignatureHeader: flag === true,
    },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
