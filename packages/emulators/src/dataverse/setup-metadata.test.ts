/**
 * What a setup check reads from the emulated organization (spec entra-oidc-and-metadata.md B2–B7): the
 * lead table's definition, its alternate keys and columns, the application user's privileges; and the
 * knobs that break each (change tracking off, a key whose index failed, no key, missing privileges).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LEAD_PRIVILEGES } from './lead-privileges.ts';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld();
});
afterAll(() => world.close());
afterEach(() => {
  world.state.setSetup({
    changeTracking: true,
    alternateKeyStatus: 'Active',
    leadPrivileges: [...LEAD_PRIVILEGES],
  });
});

const LEAD_DEFINITION =
  "EntityDefinitions(LogicalName='lead')?$select=LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,ObjectTypeCode,ChangeTrackingEnabled";

describe('table definition (B2)', () => {
  test("answers lead's definition with the selected properties and its MetadataId", async () => {
    const answer = await world.call('GET', LEAD_DEFINITION);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      '@odata.context': `${world.webApi}/$metadata#EntityDefinitions(LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,ObjectTypeCode,ChangeTrackingEnabled)/$entity`,
      LogicalName: 'lead',
      SchemaName: 'Lead',
      EntitySetName: 'leads',
      PrimaryIdAttribute: 'leadid',
      ObjectTypeCode: 4,
      ChangeTrackingEnabled: true,
      MetadataId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  test('finds a table with the error-free $filter form, and an empty list for an unknown one', async () => {
    const found = await world.call(
      'GET',
      "EntityDefinitions?$filter=LogicalName eq 'lead'&$select=LogicalName",
    );
    expect(found.json.value).toEqual([{ LogicalName: 'lead', MetadataId: expect.any(String) }]);
    const none = await world.call(
      'GET',
      "EntityDefinitions?$filter=LogicalName eq 'opportunity'&$select=LogicalName",
    );
    expect(none.json.value).toEqual([]);
  });

  test('answers 404 0x80041102 for a table the organization does not have', async () => {
    const answer = await world.call('GET', "EntityDefinitions(LogicalName='new_referral')");
    expect(answer.status).toBe(404);
    expect(answer.json.error?.code).toBe('0x80041102');
  });

  test('refuses a property the type does not have', async () => {
    const answer = await world.call('GET', "EntityDefinitions(LogicalName='lead')?$select=MaxLength");
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toBe(
      "Could not find a property named 'MaxLength' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.",
    );
  });
});

describe('alternate keys (B3)', () => {
  const KEYS =
    "EntityDefinitions(LogicalName='lead')/Keys?$select=LogicalName,KeyAttributes,EntityKeyIndexStatus";

  test('lists the key on new_referralid, Active', async () => {
    const answer = await world.call('GET', KEYS);
    expect(answer.json.value).toEqual([
      {
        '@odata.type': '#Microsoft.Dynamics.CRM.EntityKeyMetadata',
        LogicalName: 'new_referralid_key',
        KeyAttributes: ['new_referralid'],
        EntityKeyIndexStatus: 'Active',
        MetadataId: expect.any(String),
      },
    ]);
  });

  test('reports the index status the knob sets (PATCH /control/dataverse/setup)', async () => {
    expect((await world.control('PATCH', '/setup', { alternateKeyStatus: 'Failed' })).status).toBe(200);
    expect((await world.call('GET', KEYS)).json.value?.[0]?.EntityKeyIndexStatus).toBe('Failed');
  });

  test('lists no key for an organization made without one (alternateKey: [])', async () => {
    const keyless = await startDataverseWorld({ alternateKey: [] });
    try {
      expect((await keyless.call('GET', KEYS)).json.value).toEqual([]);
      // And a write addressed by the column is refused, as by Dataverse.
      const upsert = await keyless.call('PATCH', "leads(new_referralid='REF-1')", {
        body: { lastname: 'x' },
      });
      expect(upsert.status).toBe(400);
      expect(upsert.json.error?.message).toContain('is not a valid alternate key');
    } finally {
      await keyless.close();
    }
  });
});

describe('columns (B4)', () => {
  const column = (name: string, query = '') =>
    world.call('GET', `EntityDefinitions(LogicalName='lead')/Attributes(LogicalName='${name}')${query}`);

  test('describes the referral-id column, and its MaxLength only through the String cast', async () => {
    const plain = await column(
      'new_referralid',
      '?$select=LogicalName,AttributeType,IsValidForCreate,IsValidForUpdate,RequiredLevel',
    );
    expect(plain.json).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata',
      LogicalName: 'new_referralid',
      AttributeType: 'String',
      IsValidForCreate: true,
      IsValidForUpdate: true,
      RequiredLevel: { Value: 'None' },
    });
    expect(plain.json).not.toHaveProperty('MaxLength');
    const cast = await column(
      'new_referralid',
      '/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength',
    );
    expect(cast.json).toMatchObject({ MaxLength: 100 });
    const uncast = await column('new_referralid', '?$select=MaxLength');
    expect(uncast.status).toBe(400);
    expect(uncast.json.error?.message).toContain("Could not find a property named 'MaxLength'");
  });

  test('finds a missing column with the $filter form as an empty list, and by key as 404', async () => {
    const filtered = await world.call(
      'GET',
      "EntityDefinitions(LogicalName='lead')/Attributes?$filter=LogicalName eq 'new_partnerid'&$select=LogicalName",
    );
    expect(filtered.json.value).toEqual([]);
    const byKey = await column('new_partnerid');
    expect(byKey.status).toBe(404);
    expect(byKey.json.error?.code).toBe('0x80041103');
  });

  test('says statecode is not valid for create, and read-only columns for neither', async () => {
    expect((await column('statecode')).json).toMatchObject({
      IsValidForCreate: false,
      IsValidForUpdate: true,
    });
    expect((await column('fullname')).json).toMatchObject({
      IsValidForCreate: false,
      IsValidForUpdate: false,
    });
  });
});

describe('change tracking (B6, B7)', () => {
  test('off: the definition says so, and track-changes requests get 400 0x80072491', async () => {
    await world.control('PATCH', '/setup', { changeTracking: false });
    expect((await world.call('GET', LEAD_DEFINITION)).json.ChangeTrackingEnabled).toBe(false);
    const tracked = await world.call('GET', 'leads?$select=leadid', {
      headers: { prefer: 'odata.track-changes,odata.maxpagesize=1' },
    });
    expect(tracked.status).toBe(400);
    expect(tracked.json.error).toEqual({
      code: '0x80072491',
      message: "Entity lead isn't enabled for change tracking.",
    });
    // Plain reads still work.
    expect((await world.call('GET', 'leads?$select=leadid')).status).toBe(200);
  });
});

describe("the application user's privileges (B5)", () => {
  const privileges = async (names: string[]) => {
    const userId = String((await world.call('GET', 'WhoAmI')).json.UserId);
    return world.call(
      'GET',
      `systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p)?@p=${encodeURIComponent(JSON.stringify(names))}`,
    );
  };

  test('lists the lead privileges held, at Global depth', async () => {
    const answer = await privileges(['prvCreateLead', 'prvReadLead', 'prvWriteLead']);
    expect(answer.status).toBe(200);
    expect(answer.json.RolePrivileges).toEqual(
      ['prvCreateLead', 'prvReadLead', 'prvWriteLead'].map((name) => ({
        Depth: 'Global',
        PrivilegeId: expect.any(String),
        BusinessUnitId: expect.any(String),
        PrivilegeName: name,
      })),
    );
  });

  test('without prvCreateLead: absent from the list, and creating a lead is refused with 403 0x80042F09', async () => {
    await world.control('PATCH', '/setup', { leadPrivileges: ['prvReadLead', 'prvWriteLead'] });
    const answer = await privileges(['prvCreateLead', 'prvReadLead', 'prvWriteLead']);
    expect(
      (answer.json.RolePrivileges as Array<{ PrivilegeName: string }>).map((p) => p.PrivilegeName),
    ).toEqual(['prvReadLead', 'prvWriteLead']);
    const created = await world.call('PATCH', "leads(new_referralid='REF-NO-CREATE')", {
      body: { lastname: 'x' },
    });
    expect(created.status).toBe(403);
    expect(created.json.error?.code).toBe('0x80042F09');
    expect(created.json.error?.message).toContain('is missing prvCreateLead privilege');
    expect(world.state.findByAlternateKey('REF-NO-CREATE')).toBeUndefined();
  });

  test('without prvReadLead: reads are refused', async () => {
    await world.control('PATCH', '/setup', { leadPrivileges: ['prvCreateLead', 'prvWriteLead'] });
    const listed = await world.call('GET', 'leads?$select=leadid');
    expect(listed.status).toBe(403);
    expect(listed.json.error?.message).toContain('is missing prvReadLead privilege');
  });

  test('the control route refuses a privilege that does not exist', async () => {
    const answer = await world.control('PATCH', '/setup', { leadPrivileges: ['prvFlyLead'] });
    expect(answer.status).toBe(400);
  });
});
