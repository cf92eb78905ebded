/**
 * Well-known development credentials of the emulated world, like Azurite's development account.
 * They are public on purpose and only ever accepted by the emulators; never use them elsewhere.
 */
import { DEV_JWT_CERTIFICATE_PEM, DEV_JWT_PRIVATE_KEY_PEM } from './salesforce/dev-jwt-key.ts';

export const DEV_CREDENTIALS = {
  /** The partner's Entra tenant. */
  tenant: '8f3c2a10-5d4e-4b7a-9c21-6e0d1f2a3b4c',
  /** The connector's app registration: Dataverse knows it as an application user. */
  clientId: '0b9e6c4d-2f1a-4d3e-8b7c-5a6f9e8d7c6b',
  clientSecret: 'emulator-dev-secret-not-for-production',
  /** A Partner Center user holding the Referrals admin role. */
  username: 'referrals.admin@contoso-partner.example',
  password: 'Emulator-Dev-Password-1!',
} as const;

export type DevCredentials = typeof DEV_CREDENTIALS;

/** The partner organization the emulated Partner Center tenant belongs to. */
export const DEV_PARTNER = {
  organizationId: 'a4b9c2d1-7e6f-4a3b-8c2d-1e0f9a8b7c6d',
  organizationName: 'Contoso Partner Solutions',
  mpnId: '4567890',
} as const;

/**
 * The emulated HubSpot portal (account id) and its well-known private-app token, which holds every scope
 * the emulator knows. Private-app tokens do not expire.
 */
export const DEV_HUBSPOT = {
  portalId: 48151623,
  accessToken: 'pat-na1-0c5e8f3a-7b2d-4e91-a6f4-3d8c1b9e2a57',
} as const;

/** Audiences (App ID URIs) of the real Partner Center APIs; the emulators accept the same. */
export const PARTNER_CENTER_AUDIENCES = {
  referrals: 'https://api.partner.microsoft.com',
  webhooks: 'https://api.partnercenter.microsoft.com',
} as const;

/**
 * The emulated Salesforce org's connected app (consumer key and secret), its client-credentials Run As
 * user, which is also pre-authorised for the JWT bearer flow, and the key pair whose certificate the
 * connected app holds for JWT assertions.
 */
export const DEV_SALESFORCE = {
  clientId: '3MVG9Emu1atorDevC0nsumerKey.ReferralConnector.NotForProduction',
  clientSecret: 'EMULATOR-DEV-CONSUMER-SECRET-NOT-FOR-PRODUCTION',
  username: 'integration@contoso-partner.example',
  jwtPrivateKeyPem: DEV_JWT_PRIVATE_KEY_PEM,
  jwtCertificatePem: DEV_JWT_CERTIFICATE_PEM,
} as const;
