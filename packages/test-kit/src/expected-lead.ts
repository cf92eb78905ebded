/**
 * The CRM-neutral lead a referral becomes, spelled out from the documented rules (src/mapping/README.md,
 * table A and "Description") and deliberately NOT computed with the connector's own mapping: each CRM's
 * expectation (expected-dataverse-lead.ts, expected-salesforce-lead.ts) names these values its own way.
 * Where the documents leave a case open, this kit throws `TestKitRuleGapError` instead of guessing.
 */
import type { Referral } from '@referral-connector/emulators';

/** The documented rules do not say what the lead holds in this case. */
export class TestKitRuleGapError extends Error {
  readonly code = 'test_kit_rule_gap';
  constructor(detail: string) {
    super(`the documented referral → lead rules leave this open: ${detail}`);
    this.name = 'TestKitRuleGapError';
  }
}

export type ExpectedLead = {
  /** The referral id, trimmed and lower-cased: the CRM's key. */
  referralKey: string;
  topic: string;
  companyName: string | null;
  contact: Contact;
  address: {
    line1: string | null;
    line2: string | null;
    city: string | null;
    stateOrProvince: string | null;
    postalCode: string | null;
    /** ISO 3166-1 alpha-2. */
    country: string | null;
  };
  description: string | null;
  /** Four decimals, as money is kept. */
  dealValue: number | null;
  currencyCode: string | null;
  /** `YYYY-MM-DD`. */
  closeDate: string | null;
};

export function expectedLead(referral: Referral): ExpectedLead {
  const profile = referral.customerProfile;
  const address = profile.address;
  return {
    referralKey: referral.id.trim().toLowerCase(),
    topic: oneLine(referral.name) ?? `Referral ${referral.id}`,
    companyName: oneLine(profile.name),
    contact: contactOf(profile.team),
    address: {
      line1: oneLine(address.addressLine1),
      line2: oneLine(address.addressLine2),
      city: oneLine(address.city),
      stateOrProvince: oneLine(address.state),
      postalCode: oneLine(address.postalCode),
      country: countryOf(address.country),
    },
    description: descriptionOf(referral),
    dealValue:
      referral.details.dealValue === null ? null : Math.round(referral.details.dealValue * 10_000) / 10_000,
    currencyCode: currencyOf(referral.details.currency),
    closeDate: closeDateOf(referral.details.closingDateTime),
  };
}

/** Fails with a rule gap when a value is longer than the CRM field holds (the docs do not say how it is cut). */
export function checkLengths(values: Record<string, unknown>, lengths: Record<string, number>): void {
  for (const [field, length] of Object.entries(lengths)) {
    const value = values[field];
    if (typeof value === 'string' && value.length > length)
      throw new TestKitRuleGapError(`${field} is ${value.length} characters, over its ${length}`);
  }
}

/** One-line text: trimmed, whitespace runs collapsed; nothing left is no value. */
function oneLine(text: string | null | undefined): string | null {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line === '' ? null : line;
}

export type Contact = {
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
