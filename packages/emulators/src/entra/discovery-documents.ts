/**
 * The metadata documents a client (MSAL) reads before asking for tokens: the OpenID configuration
 * (v1 and v2) and the cloud instance discovery answer. Pure; shaped like login.microsoftonline.com's,
 * with the emulator's origin in place of the real host.
 */

export type DiscoveryContext = {
  origin: string;
  /** The tenant segment as requested; a verified domain is answered with the tenant id, as Entra does. */
  segment: string;
  tenantId: string;
  /** False for `common` and `organizations`. */
  specific: boolean;
};

const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'cloud_instance_name',
  'cloud_instance_host_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'nonce',
  'preferred_username',
  'name',
  'tid',
  'ver',
  'at_hash',
  'c_hash',
  'email',
];

const CLOUD = {
  cloud_instance_name: 'microsoftonline.com',
  cloud_graph_host_name: 'graph.windows.net',
  msgraph_host: 'graph.microsoft.com',
  rbac_url: 'https://pas.windows.net',
};

export function v2OpenIdConfiguration(context: DiscoveryContext) {
  const base = `${context.origin}/${pathTenant(context)}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    // Multi-tenant documents carry the literal placeholder, as on the real service.
    issuer: `${context.origin}/${context.specific ? context.tenantId : '{tenantid}'}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: CLAIMS_SUPPORTED,
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: context.specific ? 'NA' : null,
    ...CLOUD,
  };
}

export function v1OpenIdConfiguration(context: DiscoveryContext) {
  const base = `${context.origin}/${pathTenant(context)}`;
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${context.origin}/common/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: `https://sts.windows.net/${context.specific ? context.tenantId : '{tenantid}'}/`,
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'amr',
      'nonce',
      'email',
      'given_name',
      'family_name',
      'nickname',
    ],
    check_session_iframe: `${base}/oauth2/checksession`,
    userinfo_endpoint: `${base}/openid/userinfo`,
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: context.specific ? 'NA' : null,
    ...CLOUD,
  };
}

/**
 * Answer of `GET /common/discovery/instance`: the emulator is its own cloud, with one alias (its
 * host:port). `tenantSegment` is the tenant of the authorization endpoint the client asked about.
 */
export function instanceDiscovery(origin: string, tenantSegment: string) {
  const host = new URL(origin).host;
  return {
    tenant_discovery_endpoint: `${origin}/${tenantSegment}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

function pathTenant(context: DiscoveryContext): string {
  return context.specific ? context.tenantId : context.segment;
}
