import { z } from 'zod';

/** The keys of an Entra app registration that gets app-only tokens (client credentials). */
export const appCredentialsShape = {
  tenantId: z.string().min(1).optional().describe('Entra tenant id (GUID) or domain of the app registration'),
  clientId: z.string().min(1).optional().describe('application (client) id of the app registration'),
  clientSecret: z.string().min(1).optional().describe('client secret; or use certificateFile + thumbprint'),
  certificateFile: z.string().min(1).optional().describe('PEM file with the private key and certificate'),
  certificateThumbprint: z.string().min(1).optional().describe('SHA-1 thumbprint of that certificate (hex)'),
};
