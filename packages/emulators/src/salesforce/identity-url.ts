/**
 * The identity URL (`id` in the token response, `${myDomain}/id/<orgId>/<userId>`): who the session's
 * user is, and the org's REST URLs with a `{version}` placeholder, as Salesforce answers it.
 */
import type { OrgUser } from './oauth-token.ts';

export function identityOf(user: OrgUser, orgId: string, myDomainUrl: string): Record<string, unknown> {
  const rest = `${myDomainUrl}/services/data/v{version}/`;
  return {
    id: `${myDomainUrl}/id/${orgId}/${user.id}`,
    asserted_user: true,
    user_id: user.id,
    organization_id: orgId,
    username: user.username,
    display_name: user.username.split('@')[0],
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    urls: {
      rest,
      sobjects: `${rest}sobjects/`,
      query: `${rest}query/`,
      custom_domain: myDomainUrl,
    },
  };
}
