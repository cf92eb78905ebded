/**
 * The Dataverse lead the connector must write for a referral, spelled out from the documented rules
 * (src/mapping/README.md, table A and "Description"; spec crm.md §A3 for the columns and their lengths)
 * and deliberately NOT computed with the connector's own mapping (`src/mapping`, `src/crm`): a test that
 * derives its expectation from the code under test cannot catch a bug in it.
 *
 * Input is the referral as the Partner Center emulator serves it; output is the lead columns as the
 * Dataverse emulator stores them. Where the documents leave a case open, this kit throws
 * `TestKitRuleGapError` instead of guessing, so a test never passes on an invented rule.
 */
import type { Referral } from '@referral-connector/emulators';

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

/** The documented rules do not say what the lead holds in this case. */
export class TestKitRuleGapError extends Error {
  readonly code = 'test_kit_rule_gap';
  constructor(detail: string) {
    super(`the documented referral → lead rules leave this open: ${detail}`);
    this.name = 'TestKitRuleGapError';
  }
}

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
  const profile = referral.customerProfile;
  const contact = contactOf(profile.team);
  const address = profile.address;
  const currencyCode = currencyOf(referral.details.currency);
  const columns: DataverseLeadColumns = {
    [options.referralIdColumn ?? 'new_referralid']: referral.id.trim().toLowerCase(),
    [options.referralUrlColumn ?? 'new_referralurl']: `${options.referralsUrl}/${referral.id}`,
    subject: oneLine(referral.name) ?? `Referral ${referral.id}`,
    companyname: oneLine(profile.name),
    firstname: contact.firstName,
    lastname: contact.lastName,
    emailaddress1: contact.email,
    telephone1: contact.phone,
    jobtitle: contact.jobTitle,
    address1_line1: oneLine(address.addressLine1),
    address1_line2: oneLine(address.addressLine2),
    address1_city: oneLine(address.city),
    address1_stateorprovince: oneLine(address.state),
    address1_postalcode: oneLine(address.postalCode),
    address1_country: countryOf(address.country),
    description: descriptionOf(referral),
    // Money keeps four decimals.
    estimatedamount:
      referral.details.dealValue === null ? null : Math.round(referral.details.dealValue * 10_000) / 10_000,
    estimatedclosedate: closeDateOf(referral.details.closingDateTime),
    leadsourcecode: EXTERNAL_REFERRAL,
  };
  if (currencyCode !== null) {
    const currencyId = options.currencyIdOf(currencyCode);
    if (currencyId === undefined)
      throw new TestKitRuleGapError(`the organization has no currency ${currencyCode}`);
    columns._transactioncurrencyid_value = currencyId;
  }
  for (const [column, length] of Object.entries(COLUMN_LENGTHS)) {
    const value = columns[column];
    if (typeof value === 'string' && value.length > length)
      throw new TestKitRuleGapError(`${column} is ${value.length} characters, over its ${length}`);
  }
  return columns;
}

/** One-line text: trimmed, whitespace runs collapsed; nothing left is no value. */
function oneLine(text: string | null | undefined): string | null {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line === '' ? null : line;
}

type Contact = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
};

type Member = Referral['customerProfile']['team'][number];

/** "Looks like x@y". */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The first member with a valid email, else the first member; every field from that one member. With no
 * member at all nothing is invented (README: "nothing is invented"), so every contact column is empty.
 */
function contactOf(team: readonly Member[]): Contact {
  const member = team.find((m) => EMAIL.test(oneLine(m.email) ?? '')) ?? team[0];
  if (!member) return { firstName: null, lastName: null, email: null, phone: null, jobTitle: null };
  const email = oneLine(member.email);
  return {
    ...namesOf(oneLine(member.firstName), oneLine(member.lastName)),
    email: email !== null && EMAIL.test(email) ? email : null,
    phone: oneLine(member.phoneNumber),
    jobTitle: oneLine(member.title),
  };
}

/** Lone name → last name; a full name in the first name only → split at its last space. */
function namesOf(first: string | null, last: string | null): Pick<Contact, 'firstName' | 'lastName'> {
  if (first !== null && last !== null) return { firstName: first, lastName: last };
  if (first === null) return { firstName: null, lastName: last };
  const space = first.lastIndexOf(' ');
  if (space < 0) return { firstName: null, lastName: first };
  return { firstName: first.slice(0, space), lastName: first.slice(space + 1) };
}

/**
 * ISO alpha-2, upper-case. The README maps alpha-3 codes and the English names of ~70 countries without
 * listing them; this kit knows only its examples and the codes the emulator's referrals use.
 */
const COUNTRIES: Record<string, string> = {
  USA: 'US',
  Deutschland: 'DE',
  UK: 'GB',
  ...Object.fromEntries(
    ['US', 'GB', 'DE', 'FR', 'NL', 'JP', 'AU', 'CA', 'IN', 'BR'].map((code) => [code, code]),
  ),
};

function countryOf(country: string | null): string | null {
  const given = oneLine(country);
  if (given === null) return null;
  const code = COUNTRIES[given] ?? COUNTRIES[given.toUpperCase()];
  if (code === undefined) throw new TestKitRuleGapError(`country ${JSON.stringify(given)}`);
  return code;
}

/** Upper-cased; three letters or no currency. */
function currencyOf(currency: string | null): string | null {
  const code = oneLine(currency)?.toUpperCase() ?? null;
  return code !== null && /^[A-Z]{3}$/.test(code) ? code : null;
}

/** The calendar date as written, no zone shift. */
function closeDateOf(closing: string | null): string | null {
  const date = /^(\d{4}-\d{2}-\d{2})/.exec(closing ?? '')?.[1];
  return date ?? null;
}

/**
 * Blocks separated by a blank line: the notes (blank-line runs collapsed); `Invitation (<code>): <notes>`;
 * the requirements (Solutions, Products, Services, Industries: one line each, items `name (id)` or
 * whichever exists, de-duplicated, sorted by code unit); the deal summary. Status is deliberately not in it.
 * The README leaves the exact text of a few parts open; these follow what the connector wrote when this
 * kit was written (reported as documentation gaps): a line is `<Label>: item; item`, an invitation without
 * a code is `Invitation: <notes>`, and the summary lines are `Expected close: YYYY-MM-DD` and
 * `Customer size: <size>`.
 */
function descriptionOf(referral: Referral): string | null {
  const { details, inviteContext } = referral;
  const blocks: string[] = [];

  const notes = (details.notes ?? '').trim().replace(/\n\s*\n+/g, '\n\n');
  if (notes !== '') blocks.push(notes);

  const invitation = oneLine(inviteContext?.notes);
  const code = oneLine(inviteContext?.assistanceRequestCode);
  if (invitation !== null)
    blocks.push(code === null ? `Invitation: ${invitation}` : `Invitation (${code}): ${invitation}`);
  else if (code !== null) throw new TestKitRuleGapError('an invitation with a request code and no notes');

  const { requirements } = details;
  const requirementLines = [
    ['Solutions', requirements.solutions.map((s) => itemOf(s.name, s.id))],
    ['Products', requirements.products.map((p) => itemOf(null, p.id))],
    ['Services', requirements.services.map((s) => itemOf(null, s.id))],
    ['Industries', requirements.industries.map((i) => itemOf(null, i.id))],
  ] as const;
  const lines = requirementLines
    .map(([label, items]) => [label, byCodeUnit(items.filter((item) => item !== null))] as const)
    .filter(([, items]) => items.length > 0)
    .map(([label, items]) => `${label}: ${items.join('; ')}`);
  if (lines.length > 0) blocks.push(lines.join('\n'));

  const summary: string[] = [];
  if (details.dealValue !== null) {
    if (!details.currency) throw new TestKitRuleGapError('a deal value without a currency');
    summary.push(`Deal value: ${details.dealValue} ${details.currency}`);
  }
  const close = closeDateOf(details.closingDateTime);
  if (close !== null) summary.push(`Expected close: ${close}`);
  const size = oneLine(referral.customerProfile.size);
  if (size !== null) summary.push(`Customer size: ${size}`);
  summary.push(`Referral: ${referral.type}, ${referral.qualification}, ${referral.direction}`);
  blocks.push(summary.join('\n'));

  return blocks.join('\n\n');
}

function itemOf(name: string | null, id: string | null): string | null {
  const n = oneLine(name);
  const i = oneLine(id);
  if (n !== null && i !== null) return `${n} (${i})`;
  return n ?? i;
}

function byCodeUnit(items: readonly string[]): string[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
