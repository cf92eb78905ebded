import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../../test/support/connector-world.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createDynamicsAdapter } from './dynamics-adapter.ts';

let cw: ConnectorWorld;
let crm: CrmAdapter;
beforeAll(async () => {
  cw = await startConnectorWorld({
    seed: 'dynamics-extra-columns',
    dataverse: {
      customColumns: [
        { name: 'new_referralid', maxLength: 100 },
        { name: 'new_referralurl', maxLength: 500 },
        { name: 'new_dealsize', type: 'money' },
        { name: 'new_segment', maxLength: 20 },
      ],
    },
  });
  crm = createDynamicsAdapter({
    url: cw.world.dataverseOrgUrl,
    apiVersion: 'v9.2',
    referralIdColumn: 'new_referralid',
    referralUrlColumn: 'new_referralurl',
    http: cw.http('dataverse'),
    tokens: cw.appTokens(cw.world.dataverseOrgUrl),
  });
});
afterAll(() => cw?.close());

describe('Dynamics 365 setup checks of the mapping’s own columns', () => {
  it('pass a column of the right type, and name a missing one and one of the wrong type with the fix', async () => {
    const checks =
      (await crm.checkSetup?.({
        changeFeed: true,
        extraFields: [
          { name: 'new_dealsize', kind: 'number' },
          { name: 'new_segment', kind: 'any' },
          { name: 'new_dealsiz', kind: 'number' },
          { name: 'new_segment', kind: 'number' },
          { name: 'fullname', kind: 'text' },
        ],
      })) ?? [];
    const extra = checks.filter((check) => check.name.endsWith('(mapping.extra)'));

    expect(extra.map((check) => [check.name, check.status])).toEqual([
      ['lead.new_dealsize (mapping.extra)', 'pass'],
      ['lead.new_segment (mapping.extra)', 'pass'],
      ['lead.new_dealsiz (mapping.extra)', 'fail'],
      ['lead.new_segment (mapping.extra)', 'fail'],
      ['lead.fullname (mapping.extra)', 'fail'],
    ]);
    expect(extra[0]?.detail).toBe('Money, written on create and update');
    expect(extra[2]?.fix).toContain('`mapping.extra.new_dealsiz`');
    expect(extra[3]?.detail).toBe(
      'new_segment is a String column, and mapping.extra.new_segment gives it a number',
    );
    expect(extra[4]?.detail).toBe('fullname cannot be written on create and update');
    expect(
      checks.filter((check) => !check.name.endsWith('(mapping.extra)')).every((c) => c.status === 'pass'),
    ).toBe(true);
  });

  it('add no line when the mapping writes no column of the organization’s own', async () => {
    const checks = (await crm.checkSetup?.({ changeFeed: true })) ?? [];
    expect(checks.some((check) => check.name.endsWith('(mapping.extra)'))).toBe(false);
  });
});
