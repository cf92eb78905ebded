/**
 * Wire-format choices the spec leaves open (§5, §9, G3), switchable at run time through the control API so
 * a client can be tested against each reading. Defaults are the documented or most plausible forms.
 */
import { z } from 'zod';
import { RESOURCE_URI_FORMS, type ResourceUriForm } from './notification-payload.ts';

export type WebhooksKnobs = {
  /** How `ResourceUri` names the referral; `documented` by default. */
  resourceUriForm: ResourceUriForm;
  /** Whether `x-ms-signature` carries the `Signature ` prefix; bare base64 by default. */
  prefixMsSignature: boolean;
  /** How the certificate downloads are encoded; DER (a plain `.cer`) by default. */
  certificateEncoding: 'der' | 'pem';
  /** Validation-event POST answer: `{"correlationId": …}` (doc example) or a bare JSON string (swagger). */
  validationEventResponse: 'object' | 'string';
};

export const DEFAULT_KNOBS: WebhooksKnobs = {
  resourceUriForm: 'documented',
  prefixMsSignature: false,
  certificateEncoding: 'der',
  validationEventResponse: 'object',
};

export const knobsPatchSchema = z
  .object({
    resourceUriForm: z.enum(RESOURCE_URI_FORMS),
    prefixMsSignature: z.boolean(),
    certificateEncoding: z.enum(['der', 'pem']),
    validationEventResponse: z.enum(['object', 'string']),
  })
  .partial()
  .strict();
