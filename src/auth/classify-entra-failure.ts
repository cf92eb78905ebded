/**
 * The one place that decides what a failed Entra token request means (pure). msal-node rethrows the
 * token endpoint's answer as an error with the OAuth `error` (`errorCode`) and the AADSTS number
 * (`errorNo`, also at the start of `errorMessage`). Evidence: spec entra-oidc-and-metadata.md A3 and
 * the emulator's entra-error.ts, which answers with the real codes.
 *
 * - credential_rejected: Entra refused who the app says it is (secret, certificate, app id, tenant).
 *   The same request fails the same way until a person changes the configuration: dead-letter at once.
 * - login_required: the signed-in user's refresh token is gone, expired or revoked: `auth login`.
 * - transient: anything else (network, throttling, Entra's 5xx, an unknown resource) is retried.
 */
import type { CredentialKeys } from './credential-keys.ts';

/** Which setting a refused credential points at. */
export type CredentialFix = 'secret' | 'certificate' | 'credential' | 'app' | 'tenant';

export type EntraFailure =
  | { kind: 'credential_rejected'; fix: CredentialFix; entraCode: number | undefined }
  | { kind: 'login_required'; errorCode: string }
  | { kind: 'transient' };

/** AADSTS numbers of a refused client credential and what to fix for each. */
const CREDENTIAL_CODES: Record<number, CredentialFix> = {
  7000215: 'secret', // invalid client secret (often the secret's id instead of its value)
  7000222: 'secret', // the secret has expired
  7000218: 'credential', // neither client_secret nor client_assertion was sent
  700027: 'certificate', // assertion signature invalid / certificate (thumbprint) not on the app
  700021: 'certificate', // assertion issued for another client id
  700024: 'certificate', // assertion outside its valid time range (our clock, or a stale assertion)
  700016: 'app', // no app with that client id in the tenant
  90002: 'tenant', // no such tenant
};

export function classifyEntraFailure(error: unknown): EntraFailure {
  const e = (error ?? {}) as { errorCode?: unknown; errorNo?: unknown; errorMessage?: unknown };
  const errorCode = typeof e.errorCode === 'string' ? e.errorCode : '';
  const entraCode = aadstsOf(e.errorNo, e.errorMessage);
  const known = entraCode === undefined ? undefined : CREDENTIAL_CODES[entraCode];
  if (known) return { kind: 'credential_rejected', fix: known, entraCode };
  // Codes not in the table but of the same family: `invalid_client` is always about the credential,
  // `unauthorized_client` about the app registration itself (disabled, not allowed this flow).
  if (errorCode === 'invalid_client') return { kind: 'credential_rejected', fix: 'credential', entraCode };
  if (errorCode === 'unauthorized_client') return { kind: 'credential_rejected', fix: 'app', entraCode };
  if (/interaction_required|invalid_grant|no_tokens_found|refresh_token/i.test(errorCode)) {
    return { kind: 'login_required', errorCode };
  }
  return { kind: 'transient' };
}

/** The key(s) a person must fix, and what to do, for a refused credential. */
export function describeCredentialFix(
  failure: { fix: CredentialFix; entraCode: number | undefined },
  keys: CredentialKeys,
  client: 'confidential' | 'public',
): { configKeys: string[]; advice: string } {
  const code = failure.entraCode === undefined ? '' : ` (AADSTS${failure.entraCode})`;
  switch (failure.fix) {
    case 'secret':
      return {
        configKeys: [keys.clientSecret],
        advice: `Entra refused the client secret${code}: set ${keys.clientSecret} to a current secret's value (not its id)`,
      };
    case 'certificate':
      return {
        configKeys: [keys.certificateFile, keys.certificateThumbprint],
        advice:
          `Entra refused the certificate credential${code}: upload the certificate in ${keys.certificateFile} ` +
          `to the app registration ${keys.clientId}, or correct ${keys.certificateThumbprint}`,
      };
    case 'credential':
      // A public client sends no credential: Entra asks for one when public client flows are off.
      return client === 'public'
        ? {
            configKeys: [keys.clientId],
            advice: `Entra wants a client credential${code}: turn on "Allow public client flows" for the app ${keys.clientId}`,
          }
        : {
            configKeys: [keys.clientSecret, keys.certificateFile],
            advice: `Entra refused the app's credential${code}: set ${keys.clientSecret} or ${keys.certificateFile}`,
          };
    case 'app':
      return {
        configKeys: [keys.clientId, keys.tenantId],
        advice: `Entra does not accept the app${code}: check ${keys.clientId} and ${keys.tenantId}`,
      };
    case 'tenant':
      return {
        configKeys: [keys.tenantId],
        advice: `Entra does not know the tenant${code}: fix ${keys.tenantId}`,
      };
  }
}

function aadstsOf(errorNo: unknown, errorMessage: unknown): number | undefined {
  const direct = typeof errorNo === 'number' ? errorNo : typeof errorNo === 'string' ? Number(errorNo) : NaN;
  if (Number.isInteger(direct) && direct > 0) return direct;
  const match = typeof errorMessage === 'string' ? /AADSTS(\d+)/.exec(errorMessage) : null;
  return match ? Number(match[1]) : undefined;
}
