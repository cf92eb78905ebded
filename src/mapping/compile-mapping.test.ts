import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.ts';
import { compileMapping } from './compile-mapping.ts';
import { leadHash } from './lead-hash.ts';
import { mapLeadToReferralChanges } from './map-lead-to-referral-changes.ts';
import { mapReferralToLead } from './map-referral-to-lead.ts';
import type { MappingConfig } from './mapping-config.ts';
import {
  leadState,
  member,
  referralUrl,
  sampleReferral,
  withAddress,
  withCustomer,
  withDetails,
  withStatus,
} from './test-support.ts';

const toLead = (config: Partial<MappingConfig>, referral = sampleReferral()) =>
  compileMapping(config).toLead(referral, { referralUrl });

function problemsOf(config: unknown): { path: string; problem: string }[] {
  try {
    compileMapping(config as Partial<MappingConfig>);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the mapping to be refused');
}

describe('a configured mapping', () => {
  it('writes a deal value to a CRM field of its own and a template to the topic, keeping every other field', () => {
    const { draft, warnings } = toLead({
      fields: { topic: { template: '{name} ({customerProfile.address.country})' } },
      extra: { new_dealsize: { path: 'details.dealValue' } },
    });
    const byDefault = mapReferralToLead(sampleReferral(), { referralUrl }).draft;

    expect(draft.topic).toBe('Northwind Traders - Azure migration (US)');
    expect(draft.extra).toEqual({ new_dealsize: 250000 });
    expect({ ...draft, topic: byDefault.topic, extra: undefined }).toEqual({
      ...byDefault,
      extra: undefined,
    });
    expect(warnings).toEqual([]);
    expect(leadHash(draft)).not.toBe(leadHash(byDefault));
  });

  it('leaves extra out of a draft when none is configured, so the lead hash is the default one', () => {
    const { draft } = toLead({ fields: { companyName: { path: 'customerProfile.name' } } });

    expect('extra' in draft).toBe(false);
    expect(leadHash(draft)).toBe(leadHash(mapReferralToLead(sampleReferral(), { referralUrl }).draft));
  });

  it('renders empty placeholders as nothing, and a template with none filled as no value', () => {
    const topic = { template: '{name} ({customerProfile.address.country})' };
    const noCountry = withAddress(sampleReferral(), { country: null });
    const nothing = withCustomer({ ...sampleReferral(), name: null }, { address: null });

    expect(toLead({ fields: { topic } }, noCountry).draft.topic).toBe(
      'Northwind Traders - Azure migration ()',
    );
    const empty = toLead({ fields: { topic } }, nothing);
    expect(empty.draft.topic).toBe(`Referral ${sampleReferral().id}`);
    expect(empty.warnings.map((w) => w.code)).toContain('topic_missing');
  });

  it('writes literal braces written twice', () => {
    expect(toLead({ fields: { topic: { template: '{{{name}}}' } } }).draft.topic).toBe(
      '{Northwind Traders - Azure migration}',
    );
  });

  it('applies transforms in order: a list joined, cut and upper-cased', () => {
    const referral = withCustomer(sampleReferral(), {
      team: [member({ email: 'a@x.example' }), member({ email: 'b@x.example' })],
    });
    const { draft } = toLead(
      {
        extra: {
          new_emails: {
            path: 'customerProfile.team[].email',
            transforms: [{ join: ', ' }, { truncate: 16 }, 'upper'],
          },
        },
      },
      referral,
    );

    expect(draft.extra).toEqual({ new_emails: 'A@X.EXAMPLE, B@X' });
  });

  it('maps a size through a lookup table with a default for a referral without one', () => {
    const size = {
      path: 'customerProfile.size',
      transforms: [
        { lookup: { '251to1000employees': 'Medium' }, otherwise: 'Other' },
        { default: 'Unknown' },
      ],
    };
    const config = { extra: { new_size: size } } as Partial<MappingConfig>;

    expect(toLead(config).draft.extra).toEqual({ new_size: 'Medium' });
    expect(toLead(config, withCustomer(sampleReferral(), { size: '1to10employees' })).draft.extra).toEqual({
      new_size: 'Other',
    });
    expect(toLead(config, withCustomer(sampleReferral(), { size: null })).draft.extra).toEqual({
      new_size: 'Unknown',
    });
  });

  it('writes constants of every type to CRM fields, and blank text as null', () => {
    const { draft } = toLead({
      extra: {
        new_text: { const: 'Partner Center' },
        new_number: { const: 3 },
        new_flag: { const: true },
        new_cleared: { const: null },
        new_blank: { template: '  {customerProfile.address.addressLine2}  ' },
      },
    });

    expect(draft.extra).toEqual({
      new_text: 'Partner Center',
      new_number: 3,
      new_flag: true,
      new_cleared: null,
      new_blank: null,
    });
  });

  it('keeps the fields’ own guarantees for a configured source: a country code, an ISO currency, a number', () => {
    const { draft, warnings } = toLead(
      {
        fields: {
          'address.country': { const: 'Deutschland' },
          currencyCode: { template: '{details.currency}' },
          estimatedAmount: { template: '{customerProfile.address.postalCode}' },
          estimatedCloseDate: { path: 'createdDateTime' },
        },
      },
      withAddress(withDetails(sampleReferral(), { currency: 'eur' }), { postalCode: 'SW1A 1AA' }),
    );

    expect(draft.address.country).toBe('DE');
    expect(draft.currencyCode).toBe('EUR');
    expect(draft.estimatedAmount).toBeNull();
    expect(warnings).toEqual([
      { code: 'amount_invalid', field: 'estimatedAmount', detail: '"SW1A 1AA" is not a number' },
    ]);
    expect(draft.estimatedCloseDate).toBe(sampleReferral().createdDateTime?.slice(0, 10));
  });

  it('reads numeric text into the amount', () => {
    expect(
      toLead({ fields: { estimatedAmount: { template: '{details.dealValue}' } } }).draft.estimatedAmount,
    ).toBe(250000);
  });

  it('caps a configured description at 2000 characters and says so', () => {
    const referral = withDetails(sampleReferral(), { notes: 'n'.repeat(3000) });
    const { draft, warnings } = toLead({ fields: { description: { path: 'details.notes' } } }, referral);

    expect(draft.description).toHaveLength(2000);
    expect(draft.description?.endsWith('…')).toBe(true);
    expect(warnings).toEqual([
      {
        code: 'description_truncated',
        field: 'description',
        detail: 'shortened from 3000 to 2000 characters',
      },
    ]);
  });

  it('names the CRM field of a warning made by a transform', () => {
    const { warnings } = toLead(
      { extra: { new_closing: { path: 'details.closingDateTime', transforms: ['date'] } } },
      withDetails(sampleReferral(), { closingDateTime: 'next spring' }),
    );

    expect(warnings).toContainEqual({
      code: 'date_invalid',
      field: 'extra.new_closing',
      detail: '"next spring" is not an ISO date',
    });
  });

  it('takes the contact from a chosen team member through the derived view in a template', () => {
    const { draft } = toLead({
      fields: { 'contact.jobTitle': { template: '{$primaryContact.title} at {customerProfile.name}' } },
    });
    expect(draft.contact.jobTitle).toBe('at Northwind Traders');
  });
});

describe('the CRM fields a mapping writes', () => {
  it('names each with the kind of value it gets, for doctor to check against the CRM', () => {
    const { extraFields } = compileMapping({
      extra: {
        new_dealsize: { path: 'details.dealValue' },
        new_topic: { template: '{name}' },
        new_flag: { const: true },
        new_size: { path: 'customerProfile.size', transforms: [{ lookup: { '1to10employees': 1 } }] },
        new_names: { path: 'customerProfile.team[].email', transforms: [{ join: ', ' }] },
      },
    });

    expect(extraFields).toEqual([
      { name: 'new_dealsize', kind: 'number' },
      { name: 'new_topic', kind: 'text' },
      { name: 'new_flag', kind: 'boolean' },
      { name: 'new_size', kind: 'any' },
      { name: 'new_names', kind: 'text' },
    ]);
    expect(compileMapping().extraFields).toEqual([]);
  });
});

describe('checking a mapping configuration', () => {
  it('names every bad entry with its path in one error', () => {
    const problems = problemsOf({
      fields: {
        topic: { template: '{name} ({customerProfile.adress.country})' },
        estimatedAmount: { const: 'a lot' },
        companyNam: { path: 'customerProfile.name' },
        referralId: { path: 'id' },
        'contact.email': { path: 'customerProfile.team[0].email', transforms: ['lowr'] },
        'address.country': { const: 'Atlantis' },
        description: { path: 'customerProfile.address' },
        'contact.phone': { path: 'customerProfile.team[0].phoneNumber', const: 'x' },
        'contact.jobTitle': { path: 'customerProfile.team[0].title', transform: ['upper'] },
      },
      extra: {
        'new dealsize': { path: 'details.dealValue' },
        new_products: { path: 'details.requirements.products[].name' },
        new_size: { path: 'customerProfile.size', transforms: [{ default: 42 }, { truncate: 0 }] },
      },
      status: {
        table: { open: { 'New/Pending': 'Active/Acepted', 'Active/Accepted': 'New/Pending' }, converted: {} },
        crmStatus: { '7': { 'Closed/Lost': 'Active/Accepted' } },
        reasons: { '6': '' },
        writeReason: true,
      },
    });

    expect(problems.map((p) => p.path)).toEqual([
      'mapping.fields.topic.template',
      'mapping.fields.estimatedAmount.const',
      'mapping.fields.companyNam',
      'mapping.fields.referralId',
      'mapping.fields.contact.email.transforms.0',
      'mapping.fields.address.country.const',
      'mapping.fields.description.path',
      'mapping.fields.contact.phone',
      'mapping.fields.contact.jobTitle.transform',
      'mapping.extra.new dealsize',
      'mapping.extra.new_products',
      'mapping.extra.new_size.transforms.1.truncate',
      'mapping.status.writeReason',
      'mapping.status.table.open.New/Pending',
      'mapping.status.table.converted',
      'mapping.status.reasons.6',
      'mapping.status.table.open.Active/Accepted',
      'mapping.status.crmStatus.7.Closed/Lost',
    ]);
    expect(problems[0]?.problem).toBe(
      'unknown referral path {customerProfile.adress.country} (did you mean customerProfile.address.country?)',
    );
    expect(problems[1]?.problem).toBe('must be a number for this field, not "a lot"');
    expect(problems[2]?.problem).toMatch(
      /is not a lead field \(did you mean companyName\?\).*mapping\.extra/,
    );
    expect(problems[3]?.problem).toMatch(/cannot be mapped: it is the referral key/);
    expect(problems[4]?.problem).toMatch(/unknown transform "lowr" \(did you mean lower\?\)/);
    expect(problems[5]?.problem).toMatch(/"Atlantis" is not an ISO 3166 alpha-2 code/);
    expect(problems[6]?.problem).toMatch(/customerProfile.address is an object/);
    expect(problems[7]?.problem).toBe('names path and const: give exactly one source');
    expect(problems[10]?.problem).toMatch(/gives a list: add a join transform/);
    expect(problems.at(-2)?.problem).toBe(
      'Active/Accepted → New/Pending: Partner Center does not allow a referral to move from Active to New',
    );
    expect(problems.at(-1)?.problem).toBe(
      'Closed/Lost → Active/Accepted: a Closed referral is final, Partner Center allows no move out of it',
    );
  });

  it('refuses a constant of the wrong type for a field, but takes any scalar for a CRM field of its own', () => {
    expect(problemsOf({ fields: { companyName: { const: 3 } } })).toEqual([
      { path: 'mapping.fields.companyName.const', problem: 'must be text for this field, not 3' },
    ]);
    expect(problemsOf({ fields: { topic: { const: null } } })).toEqual([
      { path: 'mapping.fields.topic.const', problem: 'cannot be null: this field is never empty' },
    ]);
    expect(
      problemsOf({
        fields: { estimatedAmount: { path: 'details.dealValue', transforms: [{ default: 'none' }] } },
      }),
    ).toEqual([
      {
        path: 'mapping.fields.estimatedAmount.transforms.0.default',
        problem: 'must be a number for this field, not "none"',
      },
    ]);
    expect(() =>
      compileMapping({ extra: { new_a: { const: 'x' }, new_b: { const: 1.5 }, new_c: { const: false } } }),
    ).not.toThrow();
  });

  it('refuses a template whose braces do not close and a placeholder naming a list', () => {
    expect(problemsOf({ fields: { topic: { template: '{name' } } })[0]?.problem).toMatch(/is not closed/);
    expect(problemsOf({ fields: { topic: { template: 'x}' } } })[0]?.problem).toMatch(/a lone }/);
    expect(
      problemsOf({ fields: { topic: { template: '{customerProfile.team[].email}' } } })[0]?.problem,
    ).toMatch(/is a list: a template takes one value/);
  });
});

describe('a configured status mapping', () => {
  it('moves by the CRM’s own status where a row names it, and writes its reason', () => {
    const mapping = compileMapping({
      status: {
        crmStatus: { 'Working - Contacted': { 'New/Pending': 'Active/Accepted' } },
        reasons: { '7': 'Canceled by the seller' },
      },
    }).status;
    const pending = withStatus(sampleReferral(), 'New/Pending');

    expect(
      mapLeadToReferralChanges(pending, leadState({ crmStatus: 'Working - Contacted', leadId: 'x' }), mapping)
        ?.status,
    ).toEqual({
      from: { status: 'New', substatus: 'Pending' },
      to: { status: 'Active', substatus: 'Accepted' },
    });
    expect(
      mapLeadToReferralChanges(pending, leadState({ crmStatus: 'Open', leadId: 'x' }), mapping)?.status,
    ).toBeUndefined();
    expect(
      mapLeadToReferralChanges(
        withStatus(sampleReferral(), 'Active/Accepted'),
        leadState({ phase: 'disqualified', crmStatus: '7', reason: 'Canceled', leadId: 'x' }),
        mapping,
      )?.status?.statusReason,
    ).toBe('Canceled by the seller');
  });

  it('ignores a CRM status named like an object member', () => {
    const mapping = compileMapping().status;
    expect(() =>
      mapLeadToReferralChanges(
        withStatus(sampleReferral(), 'New/Pending'),
        leadState({ crmStatus: 'constructor' }),
        mapping,
      ),
    ).not.toThrow();
  });

  it('still never sends a move Partner Center forbids, whatever a table built in code says', () => {
    const mapping = compileMapping().status;
    const illegal = { ...mapping, crmStatus: { '2': { 'Closed/Lost': 'Active/Accepted' as const } } };

    expect(
      mapLeadToReferralChanges(
        withStatus(sampleReferral(), 'Closed/Lost'),
        leadState({ crmStatus: '2' }),
        illegal,
      ),
    ).toBeNull();
  });
});
