/**
 * `doctor` on the org's own Lead fields the mapping writes (`mapping.extra`), read from the Lead describe
 * the other checks already made: each must exist, be writable for the connected app's user, and take the
 * kind of value it gets.
 */
import { failed, passed, type SetupCheck } from '../../core/setup-check.ts';
import type { SetupNeeds } from '../crm-adapter.ts';

type ExtraField = NonNullable<SetupNeeds['extraFields']>[number];
/** What the checks read of a describe field. */
export type DescribedField = { name?: string; type?: string; createable?: boolean; updateable?: boolean };

/** The Salesforce field types that take each kind of value through the REST API. */
const TYPES_FOR: Record<Exclude<ExtraField['kind'], 'any'>, readonly string[]> = {
  text: ['string', 'textarea', 'url', 'email', 'phone', 'picklist', 'multipicklist'],
  number: ['currency', 'double', 'int', 'percent'],
  boolean: ['boolean'],
};

export const extraFieldCheckName = (field: ExtraField) => `Lead.${field.name} (mapping.extra)`;

export function checkExtraFields(
  fieldOf: (name: string) => DescribedField | undefined,
  fields: readonly ExtraField[],
): SetupCheck[] {
  return fields.map((field) => {
    const name = extraFieldCheckName(field);
    const described = fieldOf(field.name);
    if (!described) {
      return failed(
        name,
        `Lead has no field ${field.name}, which mapping.extra.${field.name} writes`,
        `add the field to Lead (custom fields end in __c), or correct or remove \`mapping.extra.${field.name}\``,
      );
    }
    const type = described.type ?? '?';
    if (field.kind !== 'any' && !TYPES_FOR[field.kind].includes(type)) {
      return failed(
        name,
        `${field.name} is a ${type} field, and mapping.extra.${field.name} gives it ${field.kind === 'text' ? 'text' : `a ${field.kind}`}`,
        `map a value of its type to ${field.name} (a ${TYPES_FOR[field.kind].join(', ')} field takes ${field.kind === 'text' ? 'text' : `a ${field.kind}`})`,
      );
    }
    if (described.createable !== true || described.updateable !== true) {
      return failed(
        name,
        `${field.name} is not writable for the connected app's user (field-level security)`,
        `make ${field.name} visible and editable for the user's profile or a permission set`,
      );
    }
    return passed(name, `${type}, createable and updateable`);
  });
}
