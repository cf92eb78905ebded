/**
 * The Dataverse lead the connector must write for a referral: the documented neutral lead
 * (expected-lead.ts) in Dataverse's columns (spec crm.md §A3 for the columns and their lengths), NOT
 * computed with the connector's own mapping (`src/mapping`, `src/crm`): a test that derives its
 * expectation from the code under test cannot catch a bug in it.
 *
 * Input is the referral as the Partner Center emulator serves it; output is the lead columns as the
 * Dataverse emulator stores them.
 */
import type { Referral } from '@referral-connector/emulators';
import { checkLengths, expectedLead, TestKitRuleGapError } from './expected-lead.ts';

export { TestKitRuleGapError };

export type ExpectedDataverseLeadOptions = {
  /** `partnerCenter.referralsUrl`: the lead links to the referral at `<referralsUrl>/<id>`. */
  referralsUrl: string;
  /** `crm.dynamics.referralIdColumn` (default `new_referralid`). */
  referralIdColumn?: string;
  /** `crm.dynamics.referralUrlColumn` (default `new_referralurl`). */
  referralUrlColumn?: string;
  /** The organization's `transactioncurrencyid` for an ISO code, undefined when it has none. */
  currencyIdOf: (isoCode: string) => string | undefined;
};

/** Column → value as the Dataverse emulator holds it; a column left out is one the rules do not fix. */
export type DataverseLeadColumns = Record<string, string | number | null>;

/** Lead column lengths, spec crm.md §A3. */
const COLUMN_LENGTHS: Record<string, number> = {
  subject: 300,
  firstname: 50,
  lastname: 50,
  companyname: 100,
  emailaddress1: 100,
  telephone1: 50,
  jobtitle: 100,
  address1_line1: 250,
  address1_line2: 250,
  address1_city: 80,
  address1_stateorprovince: 50,
  address1_postalcode: 20,
  address1_country: 80,
  description: 2000,
};

/** "External Referral" in the `leadsourcecode` picklist (spec crm.md §A3). */
const EXTERNAL_REFERRAL = 3;

export function expectedDataverseLead(
  referral: Referral,
  options: ExpectedDataverseLeadOptions,
): DataverseLeadColumns {
  const lead = expectedLead(referral);
  const { contact, address } = lead;
  const columns: DataverseLeadColumns = {
    [options.referralIdColumn ?? 'new_referralid']: lead.referralKey,
    [options.referralUrlColumn ?? 'new_referralurl']: `${options.referralsUrl}/${referral.id}`,
    subject: lead.topic,
    companyname: lead.companyName,
    firstname: contact.firstName,
    lastname: contact.lastName,
    emailaddress1: contact.email,
    telephone1: contact.phone,
    jobtitle: contact.jobTitle,
    address1_line1: address.line1,
    address1_line2: address.line2,
    address1_city: address.city,
    address1_stateorprovince: address.stateOrProvince,
    address1_postalcode: address.postalCode,
    address1_country: address.country,
    description: lead.description,
    estimatedamount: lead.dealValue,
    estimatedclosedate: lead.closeDate,
    leadsourcecode: EXTERNAL_REFERRAL,
  };
  if (lead.currencyCode !== null) {
    const currencyId = options.currencyIdOf(lead.currencyCode);
    if (currencyId === undefined)
      throw new TestKitRuleGapError(`the organization has no currency ${lead.currencyCode}`);
    columns._transactioncurrencyid_value = currencyId;
  }
  checkLengths(columns, COLUMN_LENGTHS);
  return columns;
}
