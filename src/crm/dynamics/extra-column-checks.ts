/**
 * `doctor` on the organization's own lead columns the mapping writes (`mapping.extra`): each must exist,
 * be writable on create and update, and take the kind of value it gets. One metadata read for them all.
 */
import { failed, passed, type SetupCheck } from '../../core/setup-check.ts';
import { describeFailure } from '../../net/explain-error.ts';
import type { SetupNeeds } from '../crm-adapter.ts';

type ExtraField = NonNullable<SetupNeeds['extraFields']>[number];
type Attribute = {
  LogicalName?: string;
  AttributeType?: string;
  IsValidForCreate?: boolean;
  IsValidForUpdate?: boolean;
};

/** The Dataverse column types that take each kind of value, as the Web API writes them. */
const TYPES_FOR: Record<Exclude<ExtraField['kind'], 'any'>, readonly string[]> = {
  text: ['String', 'Memo'],
  number: ['Money', 'Decimal', 'Double', 'Integer', 'BigInt'],
  boolean: ['Boolean'],
};

export const extraColumnCheckName = (field: ExtraField) => `lead.${field.name} (mapping.extra)`;

export async function checkExtraColumns(
  get: <T>(path: string, what: string) => Promise<T>,
  fields: readonly ExtraField[],
): Promise<SetupCheck[]> {
  if (fields.length === 0) return [];
  let attributes: Attribute[];
  try {
    ({ value: attributes = [] } = await get<{ value?: Attribute[] }>(
      "EntityDefinitions(LogicalName='lead')/Attributes?$select=LogicalName,AttributeType,IsValidForCreate,IsValidForUpdate",
      'lead columns',
    ));
  } catch (error) {
    const { problem, fix } = describeFailure(error);
    return fields.map((field) => failed(extraColumnCheckName(field), problem, fix ?? 'run doctor again'));
  }
  return fields.map((field) => {
    const name = extraColumnCheckName(field);
    const attribute = attributes.find((a) => a.LogicalName === field.name);
    if (!attribute) {
      return failed(
        name,
        `the lead table has no column ${field.name}, which mapping.extra.${field.name} writes`,
        `add the column to Lead, or correct or remove \`mapping.extra.${field.name}\``,
      );
    }
    const type = attribute.AttributeType ?? '?';
    if (field.kind !== 'any' && !TYPES_FOR[field.kind].includes(type)) {
      return failed(
        name,
        `${field.name} is a ${type} column, and mapping.extra.${field.name} gives it ${field.kind === 'text' ? 'text' : `a ${field.kind}`}`,
        `map a value of its type to ${field.name} (a ${TYPES_FOR[field.kind].join(' or ')} column takes ${field.kind === 'text' ? 'text' : `a ${field.kind}`})`,
      );
    }
    if (attribute.IsValidForCreate === false || attribute.IsValidForUpdate === false) {
      return failed(
        name,
        `${field.name} cannot be written on create and update`,
        `map to a writable column instead of ${field.name} in \`mapping.extra\``,
      );
    }
    return passed(name, `${type}, written on create and update`);
  });
}
