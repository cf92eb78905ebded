import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContact, type HubSpotWorld, primaryContact, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld();
});
afterAll(() => hub.close());

const AUTH_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

describe('HubSpot authentication and scopes', () => {
  test('answers a request without a token with 401 INVALID_AUTHENTICATION, as documented', async () => {
    const answer = await hub.call('GET', '/crm/v3/objects/contacts', { token: null });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({
      status: 'error',
      message: AUTH_MESSAGE,
      correlationId: answer.headers['x-hubspot-correlation-id'],
      category: 'INVALID_AUTHENTICATION',
    });
    expect(answer.headers['x-hubspot-auth-failure']).toBe('401 Unauthorized');
    expect(answer.headers['x-hubspot-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('answers an unknown or revoked token with the same 401', async () => {
    const unknown = await hub.call('GET', '/crm/v3/objects/contacts', {
      token: 'pat-na1-00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(401);
    expect(unknown.json.category).toBe('INVALID_AUTHENTICATION');
    const issued = await hub.control('POST', '/tokens', { scopes: ['crm.objects.contacts.read'] });
    const token = String(issued.json.accessToken);
    expect(token).toMatch(/^pat-na1-[0-9a-f-]{36}$/);
    expect((await hub.call('GET', '/crm/v3/objects/contacts', { token })).status).toBe(200);
    expect((await hub.control('DELETE', `/tokens/${token}`)).status).toBe(204);
    const revoked = await hub.call('GET', '/crm/v3/objects/contacts', { token });
    expect(revoked.json.category).toBe('INVALID_AUTHENTICATION');
  });

  test('refuses a token without the scope with 403 MISSING_SCOPES naming the granular scope', async () => {
    const issued = await hub.control('POST', '/tokens', { scopes: ['crm.objects.leads.read'] });
    const token = String(issued.json.accessToken);
    expect((await hub.call('GET', '/crm/v3/objects/leads', { token })).status).toBe(200);
    const answer = await hub.call('POST', '/crm/v3/objects/leads', {
      token,
      body: { properties: { hs_lead_name: 'Ada' } },
    });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({
      status: 'error',
      message:
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      correlationId: answer.headers['x-hubspot-correlation-id'],
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['crm.objects.leads.write'] },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
      category: 'MISSING_SCOPES',
    });
  });

  test('checks scopes before the properties, so bad properties from a token without the scope get 403', async () => {
    const issued = await hub.control('POST', '/tokens', { scopes: ['crm.objects.contacts.read'] });
    const answer = await hub.call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      token: String(issued.json.accessToken),
      body: { inputs: [{ idProperty: 'email', id: 'x@example.com', properties: { nope: '1' } }] },
    });
    expect(answer.status).toBe(403);
  });

  test('an association needs the write scope of both of its ends', async () => {
    const contactId = await createContact(hub, 'scopes@example.com');
    const lead = await hub.call('POST', '/crm/v3/objects/leads', {
      body: {
        properties: { hs_lead_name: 'Scopes', referral_id: 'REF-SCOPES' },
        associations: primaryContact(contactId),
      },
    });
    const issued = await hub.control('POST', '/tokens', {
      scopes: ['crm.objects.leads.write', 'crm.objects.leads.read', 'crm.objects.companies.write'],
    });
    const company = await hub.call('POST', '/crm/v3/objects/companies', {
      body: { properties: { name: 'C' } },
    });
    const answer = await hub.call(
      'PUT',
      `/crm/v4/objects/leads/${lead.json.id}/associations/default/contacts/${contactId}`,
      { token: String(issued.json.accessToken) },
    );
    expect(answer.status).toBe(403);
    expect(answer.json.errors?.[0]?.context).toEqual({
      requiredGranularScopes: ['crm.objects.contacts.write'],
    });
    const allowed = await hub.call(
      'PUT',
      `/crm/v4/objects/leads/${lead.json.id}/associations/default/companies/${company.json.id}`,
      { token: String(issued.json.accessToken) },
    );
    expect(allowed.status).toBe(200);
  });

  test('property definitions are readable with the schema scope or the object read scope', async () => {
    for (const scopes of [['crm.schemas.deals.read'], ['crm.objects.deals.read']]) {
      const issued = await hub.control('POST', '/tokens', { scopes });
      const answer = await hub.call('GET', '/crm/v3/properties/deals', {
        token: String(issued.json.accessToken),
      });
      expect(answer.status, scopes[0]).toBe(200);
    }
    const none = await hub.control('POST', '/tokens', { scopes: ['crm.objects.contacts.read'] });
    const refused = await hub.call('GET', '/crm/v3/properties/deals', {
      token: String(none.json.accessToken),
    });
    expect(refused.json.errors?.[0]?.context).toEqual({
      requiredGranularScopes: ['crm.schemas.deals.read', 'crm.objects.deals.read'],
    });
  });

  test('an expired OAuth access token gets 401 EXPIRED_AUTHENTICATION with its expiry', async () => {
    const issued = await hub.control('POST', '/tokens', { kind: 'oauth', expiresInMs: 1_800_000 });
    const token = String(issued.json.accessToken);
    expect(token.length).toBeGreaterThan(150);
    expect((await hub.call('GET', '/crm/v3/objects/contacts', { token })).status).toBe(200);
    hub.clock.advance(1_800_000 + 2 * 3_600_000);
    const answer = await hub.call('GET', '/crm/v3/objects/contacts', { token });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({
      message: 'The OAuth token used to make this call expired 2 hour(s) ago.',
      category: 'EXPIRED_AUTHENTICATION',
      context: { 'expire time': [issued.json.expiresAt] },
    });
  });

  test('refuses a scope the emulator does not know when a token is issued', async () => {
    const answer = await hub.control('POST', '/tokens', { scopes: ['crm.objects.unicorns.read'] });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toContain('crm.objects.unicorns.read');
  });
});
