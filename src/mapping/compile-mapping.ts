/**
 * Turns a `mapping` configuration into the functions the sync runs: the default mapping with the
 * configuration's entries laid over it, checked once (a ConfigError naming every bad entry), then
 * applied to each referral as plain data: no configured text is ever evaluated as code.
 */
import { ConfigError } from '../config/config-error.ts';
import { toReferralKey } from '../core/domain.ts';
import { LEAD_SOURCE, type LeadDraft, type LeadExtraFields } from '../core/lead.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import { DEFAULT_MAPPING } from './default-mapping.ts';
import { DRAFT_FIELD_NAMES, DRAFT_FIELDS, type DraftFieldName } from './draft-fields.ts';
import { buildLeadDescription, LEAD_DESCRIPTION_MAX_LENGTH } from './lead-description.ts';
import type { MappedLead, MapReferralToLeadOptions } from './map-referral-to-lead.ts';
import { checkExtraConfig, checkFieldsConfig, type MappingConfig } from './mapping-config.ts';
import type { CompiledSource, MappingProblem, SourceContext } from './mapping-sources.ts';
import type { MappingWarning } from './mapping-warning.ts';
import { selectPrimaryContact } from './primary-contact.ts';
import type { DerivedViewName, MappingValue } from './referral-paths.ts';
import { resolveStatusMapping, type StatusMapping } from './status-mapping.ts';
import { checkStatusMappingConfig } from './status-mapping-config.ts';

export type LeadMapping = {
  /** The default with the configuration's entries over it: what this mapping does, as configuration. */
  effective: MappingConfig;
  /** Lead → referral status write-back. */
  status: StatusMapping;
  /** The CRM fields of the partner's own it writes, and the kind of value each gets (for `doctor`). */
  extraFields: readonly { name: string; kind: CompiledSource['kind'] }[];
  /** Referral → CRM-neutral lead, and what could not be carried over. */
  toLead(referral: Referral, options: MapReferralToLeadOptions): MappedLead;
};

/** Checks a `mapping` configuration; every problem, its path starting at `mapping`. */
export function checkMappingConfig(config: Partial<MappingConfig>): { path: string; problem: string }[] {
  const problems: { path: string; problem: string }[] = [];
  const add = (section: string, found: readonly MappingProblem[]) => {
    for (const problem of found)
      problems.push({ path: ['mapping', section, ...problem.path].join('.'), problem: problem.problem });
  };
  add('fields', checkFieldsConfig({ ...config.fields }).problems);
  add('extra', checkExtraConfig({ ...config.extra }).problems);
  add('status', checkStatusMappingConfig({ ...config.status }).problems);
  return problems;
}

/**
 * The mapping for a configuration (the default without one). Throws ConfigError (`config_invalid`)
 * naming every bad entry; configuration loaded through loadConfig has been checked already.
 */
export function compileMapping(config: Partial<MappingConfig> = {}): LeadMapping {
  const problems = checkMappingConfig(config);
  if (problems.length > 0) throw new ConfigError(problems, 'mapping');

  const effective: MappingConfig = {
    fields: { ...DEFAULT_MAPPING.fields, ...config.fields },
    extra: { ...DEFAULT_MAPPING.extra, ...config.extra },
    status: mergeStatus(DEFAULT_MAPPING.status, config.status ?? {}),
  };
  const fields = checkFieldsConfig({ ...effective.fields }).sources;
  const extra = checkExtraConfig({ ...effective.extra }).sources;
  const status = resolveStatusMapping(effective.status);
  return {
    effective,
    status,
    extraFields: [...extra].map(([name, source]) => ({ name, kind: source.kind })),
    toLead: (referral, options) => mapWith(fields, extra, referral, options),
  };
}

function mergeStatus(
  base: MappingConfig['status'],
  overrides: MappingConfig['status'],
): MappingConfig['status'] {
  const table = { ...base.table };
  for (const [phase, row] of Object.entries(overrides.table ?? {}) as [keyof typeof table, object][]) {
    table[phase] = { ...base.table?.[phase], ...row };
  }
  return {
    ...base,
    ...overrides,
    table,
    crmStatus: { ...base.crmStatus, ...overrides.crmStatus },
    reasons: { ...base.reasons, ...overrides.reasons },
  };
}

let defaultMapping: LeadMapping | undefined;

/** The default mapping, compiled once. */
export function defaultLeadMapping(): LeadMapping {
  defaultMapping ??= compileMapping();
  return defaultMapping;
}

function mapWith(
  fields: ReadonlyMap<DraftFieldName, CompiledSource>,
  extra: ReadonlyMap<string, CompiledSource>,
  referral: Referral,
  options: MapReferralToLeadOptions,
): MappedLead {
  const warnings: MappingWarning[] = [];
  const descriptionMaxLength = options.descriptionMaxLength ?? LEAD_DESCRIPTION_MAX_LENGTH;
  const views = derivedViews(referral, descriptionMaxLength, warnings);
  const contextFor = (field: string): SourceContext => ({
    referral,
    view: views,
    warn: (warning) => warnings.push({ ...warning, field }),
  });

  const values = new Map<DraftFieldName, string | number | null>();
  for (const name of DRAFT_FIELD_NAMES) {
    const context = contextFor(name);
    const source = fields.get(name);
    const value = source ? source.read(context) : null;
    values.set(
      name,
      DRAFT_FIELDS[name].settle(value, {
        referral,
        descriptionMaxLength,
        warn: (code, detail) => context.warn({ code, detail }),
      }),
    );
    // Amount and currency are read together by the CRM: an amount alone is in its base currency.
    if (name === 'currencyCode' && values.get('estimatedAmount') !== null && values.get(name) === null) {
      warnings.push({
        code: 'amount_without_currency',
        field: 'estimatedAmount',
        detail: 'the deal value has no usable currency; the CRM will assume its base currency',
      });
    }
  }
  const text = (name: DraftFieldName) => values.get(name) as string | null;
  const estimatedAmount = values.get('estimatedAmount') as number | null;
  const currencyCode = text('currencyCode');

  const draft: LeadDraft = {
    referralId: toReferralKey(referral.id),
    referralUrl: options.referralUrl(referral.id),
    topic: text('topic') as string,
    companyName: text('companyName'),
    contact: {
      firstName: text('contact.firstName'),
      lastName: text('contact.lastName'),
      email: text('contact.email'),
      phone: text('contact.phone'),
      jobTitle: text('contact.jobTitle'),
    },
    address: {
      line1: text('address.line1'),
      line2: text('address.line2'),
      city: text('address.city'),
      stateOrProvince: text('address.stateOrProvince'),
      postalCode: text('address.postalCode'),
      country: text('address.country'),
    },
    description: text('description'),
    estimatedAmount,
    currencyCode,
    estimatedCloseDate: text('estimatedCloseDate'),
    source: LEAD_SOURCE,
  };
  // Left out when none is configured, so a draft without extras hashes as it always did.
  if (extra.size > 0) {
    const extras: LeadExtraFields = {};
    for (const [name, source] of extra) extras[name] = extraValue(source.read(contextFor(`extra.${name}`)));
    draft.extra = extras;
  }
  return { draft, warnings };
}

/** A CRM field of the partner's own gets the value as it is; text trimmed, blank text as null. */
function extraValue(value: MappingValue): string | number | boolean | null {
  if (Array.isArray(value)) return null;
  if (typeof value !== 'string') return value as number | boolean | null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** `$primaryContact` and `$description`, each made once per referral and only when a field reads it. */
function derivedViews(
  referral: Referral,
  descriptionMaxLength: number,
  warnings: MappingWarning[],
): (name: DerivedViewName) => unknown {
  const made = new Map<DerivedViewName, unknown>();
  const make = (name: DerivedViewName): unknown => {
    if (name === '$primaryContact') {
      const primary = selectPrimaryContact(referral.customerProfile?.team ?? []);
      warnings.push(...primary.warnings);
      const { firstName, lastName, email, phone, jobTitle } = primary.contact;
      return { firstName, lastName, email, phoneNumber: phone, title: jobTitle };
    }
    const description = buildLeadDescription(referral, descriptionMaxLength);
    if (description.truncated) {
      warnings.push({
        code: 'description_truncated',
        field: 'description',
        detail: `notes, requirements and deal summary exceed ${descriptionMaxLength} characters and were shortened`,
      });
    }
    return description.text;
  };
  return (name) => {
    if (!made.has(name)) made.set(name, make(name));
    return made.get(name);
  };
}
