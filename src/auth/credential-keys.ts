/**
 * Which configuration keys set up one app registration's credential. The auth code does not know the
 * configuration's layout; whoever builds an app passes these, so a refused credential or a bad
 * certificate file is reported with the key a person has to fix (`crm.dynamics.clientSecret`).
 */
export type CredentialKeys = {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  certificateFile: string;
  certificateThumbprint: string;
};

/** The keys of an app registration configured under `prefix` (e.g. `crm.dynamics`, `partnerCenter`). */
export function credentialKeysAt(prefix: string): CredentialKeys {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  return {
    tenantId: at('tenantId'),
    clientId: at('clientId'),
    clientSecret: at('clientSecret'),
    certificateFile: at('certificateFile'),
    certificateThumbprint: at('certificateThumbprint'),
  };
}

/** Used when the creator named no keys: the bare names still say which setting is meant. */
export const UNPREFIXED_CREDENTIAL_KEYS: CredentialKeys = credentialKeysAt('');
