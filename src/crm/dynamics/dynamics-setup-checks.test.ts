import type { EmulatorWorldOptions } from '@referral-connector/emulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../../test/support/connector-world.ts';
import type { SetupCheck } from '../../core/setup-check.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createDynamicsAdapter } from './dynamics-adapter.ts';

const adapterOf = (cw: ConnectorWorld, overrides: { referralIdColumn?: string } = {}) =>
  createDynamicsAdapter({
    url: cw.world.dataverseOrgUrl,
    apiVersion: 'v9.2',
    referralIdColumn: overrides.referralIdColumn ?? 'new_referralid',
    referralUrlColumn: 'new_referralurl',
    http: cw.http('dataverse'),
    tokens: cw.appTokens(cw.world.dataverseOrgUrl),
  });

const statuses = (checks: SetupCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c.status]));
const line = (checks: SetupCheck[], name: string) => {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named ${name} in ${checks.map((c) => c.name).join(', ')}`);
  return found;
};

async function checksOf(options: EmulatorWorldOptions, changeFeed = true): Promise<SetupCheck[]> {
  const cw = await startConnectorWorld({ seed: 'dynamics-setup', ...options });
  try {
    const crm = adapterOf(cw);
    return (await crm.checkSetup?.({ changeFeed })) ?? [];
  } finally {
    await cw.close();
  }
}

describe('Dynamics 365 setup checks', () => {
  let cw: ConnectorWorld;
  let crm: CrmAdapter;
  beforeAll(async () => {
    cw = await startConnectorWorld({ seed: 'dynamics-setup' });
    crm = adapterOf(cw);
  });
  afterAll(() => cw?.close());
  afterEach(() =>
    cw.world.dataverse.setSetup({
      changeTracking: true,
      alternateKeyStatus: 'Active',
      leadPrivileges: [
        'prvCreateLead',
        'prvReadLead',
        'prvWriteLead',
        'prvDeleteLead',
        'prvAppendLead',
        'prvAppendToLead',
      ],
    }),
  );

  it('pass against an environment set up as the README asks', async () => {
    const checks = (await crm.checkSetup?.({ changeFeed: true })) ?? [];
    expect(statuses(checks)).toEqual({
      'Dataverse identity': 'pass',
      'lead table': 'pass',
      'leads readable and writable': 'pass',
      'lead.new_referralid': 'pass',
      'alternate key on lead.new_referralid': 'pass',
      'lead.new_referralurl': 'pass',
      'change tracking on lead': 'pass',
    });
    expect(line(checks, 'lead.new_referralid').detail).toBe('String(100), written on create and update');
    expect(line(checks, 'alternate key on lead.new_referralid').detail).toBe('new_referralid_key, Active');
  });

  it('fail when change tracking is off and the change feed runs; pass when it does not', async () => {
    cw.world.dataverse.setSetup({ changeTracking: false });
    const withFeed = line((await crm.checkSetup?.({ changeFeed: true })) ?? [], 'change tracking on lead');
    expect(withFeed).toMatchObject({ status: 'fail', fix: expect.stringContaining('turn on Track changes') });
    const withoutFeed = line(
      (await crm.checkSetup?.({ changeFeed: false })) ?? [],
      'change tracking on lead',
    );
    expect(withoutFeed.status).toBe('pass');
  });

  it("fail when the key's index failed, and warn while it is being built", async () => {
    cw.world.dataverse.setSetup({ alternateKeyStatus: 'Failed' });
    expect(
      line((await crm.checkSetup?.({ changeFeed: true })) ?? [], 'alternate key on lead.new_referralid'),
    ).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('is Failed'),
      fix: expect.stringContaining('reactivate the key'),
    });
    cw.world.dataverse.setSetup({ alternateKeyStatus: 'InProgress' });
    expect(
      line((await crm.checkSetup?.({ changeFeed: true })) ?? [], 'alternate key on lead.new_referralid')
        .status,
    ).toBe('warn');
  });

  it('fail when the application user may not create or write leads, naming the privileges', async () => {
    cw.world.dataverse.setSetup({ leadPrivileges: ['prvReadLead'] });
    expect(
      line((await crm.checkSetup?.({ changeFeed: true })) ?? [], 'leads readable and writable'),
    ).toMatchObject({
      status: 'fail',
      detail: "the application user's roles lack prvCreateLead, prvWriteLead",
    });
  });

  it('fail when the environment has no alternate key on the referral-id column', async () => {
    const checks = await checksOf({ dataverse: { alternateKey: [] } });
    expect(line(checks, 'alternate key on lead.new_referralid')).toMatchObject({
      status: 'fail',
      detail: 'no alternate key on new_referralid alone: every upsert by referral would fail',
      fix: expect.stringContaining('add a key on Lead with the single column new_referralid'),
    });
  });

  it('fail when the referral-id column does not exist, and skip its key', async () => {
    const checks = await checksOf({
      dataverse: { customColumns: [{ name: 'new_referralurl', maxLength: 500 }], alternateKey: [] },
    });
    expect(line(checks, 'lead.new_referralid')).toMatchObject({
      status: 'fail',
      detail: 'the lead table has no column new_referralid, which holds the referral id',
    });
    expect(line(checks, 'alternate key on lead.new_referralid').status).toBe('skip');
  });

  it('fail when the referral-id column is too short for a referral id', async () => {
    const checks = await checksOf({
      dataverse: {
        customColumns: [
          { name: 'new_referralid', maxLength: 20 },
          { name: 'new_referralurl', maxLength: 500 },
        ],
      },
    });
    expect(line(checks, 'lead.new_referralid')).toMatchObject({
      status: 'fail',
      detail: 'new_referralid holds at most 20 characters; the referral id needs 36',
    });
  });

  it('fail when the app is no application user of the environment, and skip the rest', async () => {
    const checks = await checksOf({ dataverse: { applicationUsers: [] } });
    expect(line(checks, 'Dataverse identity')).toMatchObject({
      status: 'fail',
      detail: 'the app signs in, but is no application user of this environment (0x80072560)',
    });
    expect(checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
  });
});
