import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../../test/support/connector-world.ts';
import type { TokenProvider } from '../../auth/token-provider.ts';
import type { SetupCheck } from '../../core/setup-check.ts';
import { createTestHubSpotAdapter, prepareTestPortal } from './test-support.ts';

const line = (checks: SetupCheck[], name: string) => {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named ${name} in ${checks.map((c) => c.name).join(', ')}`);
  return found;
};

/** A token provider that sends `token` instead of the development one. */
const sending =
  (token: string) =>
  (tokens: TokenProvider): TokenProvider => ({ ...tokens, token: async () => token });

describe('HubSpot setup checks', () => {
  let cw: ConnectorWorld;
  beforeAll(async () => {
    cw = await startConnectorWorld({ seed: 'hubspot-setup' });
    prepareTestPortal(cw);
  });
  afterAll(() => cw?.close());

  it.each(['leads', 'deals'] as const)(
    'pass against a portal set up as the adapter README asks (%s)',
    async (object) => {
      const checks =
        (await createTestHubSpotAdapter(cw, { object }).checkSetup?.({ changeFeed: true })) ?? [];
      expect(Object.fromEntries(checks.map((c) => [c.name, c.status]))).toEqual({
        'HubSpot identity': 'pass',
        [`${object} readable and writable`]: 'pass',
        'contacts readable and writable': 'pass',
        [`${object}.referral_id`]: 'pass',
        'contacts.referral_id': 'pass',
        [`${object} pipeline ${object === 'leads' ? 'lead-pipeline-id' : 'default'}`]: 'pass',
      });
    },
  );

  it('fail when the token lacks the write scope of the object', async () => {
    const { token } = cw.world.hubspot.issueToken({
      scopes: [
        'crm.objects.leads.read',
        'crm.objects.contacts.read',
        'crm.objects.contacts.write',
        'crm.schemas.leads.read',
        'crm.schemas.contacts.read',
      ],
    });
    const checks =
      (await createTestHubSpotAdapter(cw, { object: 'leads', tokens: sending(token) }).checkSetup?.({
        changeFeed: true,
      })) ?? [];
    expect(line(checks, 'leads readable and writable')).toMatchObject({
      status: 'fail',
      detail: 'writing leads is refused (403)',
      fix: expect.stringContaining('crm.objects.leads.read and crm.objects.leads.write'),
    });
    expect(line(checks, 'contacts readable and writable').status).toBe('pass');
  });

  it('fail when the token is not accepted, and skip the rest', async () => {
    const checks =
      (await createTestHubSpotAdapter(cw, {
        object: 'leads',
        tokens: sending('pat-na1-not-a-token'),
      }).checkSetup?.({
        changeFeed: true,
      })) ?? [];
    expect(line(checks, 'HubSpot identity')).toMatchObject({
      status: 'fail',
      detail: 'HubSpot refused the token (401)',
    });
    expect(checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
  });

  it('fail when the object has no unique referral-id property; only warn for contacts', async () => {
    const portal = await startConnectorWorld({
      seed: 'hubspot-setup-bare',
      hubspot: {
        customProperties: {
          deals: [
            {
              name: 'referral_id',
              label: 'Referral ID',
              type: 'string',
              fieldType: 'text',
              groupName: 'dealinformation',
            },
          ],
        },
      },
    });
    try {
      const checks =
        (await createTestHubSpotAdapter(portal, { object: 'deals' }).checkSetup?.({ changeFeed: true })) ??
        [];
      expect(line(checks, 'deals.referral_id')).toMatchObject({
        status: 'fail',
        detail: 'referral_id does not require unique values: every referral would make a new record',
      });
      expect(line(checks, 'contacts.referral_id')).toMatchObject({
        status: 'warn',
        detail:
          'contacts have no property referral_id: referrals whose customer has no e-mail address cannot be synced',
      });
    } finally {
      await portal.close();
    }
  });
});
