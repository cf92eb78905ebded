import { z } from 'zod';

/** The keys of an Entra app registration that gets app-only tokens (client credentials). */
export const appCredentialsShape = {
  tenantId: z.string().min(1).optional().describe('Entra tenant id (GUID) or domain of the app registration'),
  clientId: z.string().min(1).optional().describe('application (client) id of the app registration'),
  clientSecret: z.string().min(1).optional().describe('client secret; or use certificateFile'),
  certificateFile: z
    .string()
    .min(1)
    .optional()
    .describe('PEM file with the private key and the certificate uploaded to the app registration'),
  certificateThumbprint: z
    .string()
    .regex(
      /^(?:[0-9A-Fa-f]{2}[:\s]?){19}(?:(?:[0-9A-Fa-f]{2}[:\s]?){12})?[0-9A-Fa-f]{2}$/,
      'must be a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint',
    )
    .optional()
    .describe(
      "thumbprint of that certificate in hex: SHA-256 (64 digits, Microsoft's recommendation) or SHA-1 (40, " +
        'as the portal lists it); told apart by length. Omit it to have it computed from the certificate in ' +
        'certificateFile (SHA-256)',
    ),
};
