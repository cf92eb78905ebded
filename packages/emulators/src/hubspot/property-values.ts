/**
 * How the portal reads a written property value (spec C5, C7): every value travels as a string and is
 * checked against its property's type — numbers without exponent, dates at midnight UTC, datetimes as
 * ISO 8601 or epoch milliseconds (stored as ISO), booleans, enumeration options, and, since 2025, no
 * leading or trailing spaces on non-text values. `""` clears a value. Pure.
 */
import { invalidInput, type PropertyIssue } from './hubspot-error.ts';
import type { PropertyDefinition } from './property-catalog.ts';

export type ValueReading = { value: string } | { clear: true } | { issue: PropertyIssue };

/** Turns one JSON value of a `properties` map into the string HubSpot stores, or the issue it reports. */
export function readPropertyValue(
  definition: PropertyDefinition,
  raw: unknown,
  allowedOptions: () => readonly string[],
): ValueReading {
  if (raw === null || raw === '') return { clear: true };
  if (typeof raw === 'object') throw invalidInput(`property "${definition.name}" must be a string`);
  const value = String(raw);
  const issue = (code: string, message: string): ValueReading => ({
    issue: { name: definition.name, code, message, value },
  });
  if (definition.type !== 'string' && definition.type !== 'phone_number' && value.trim() !== value)
    return issue(
      'INVALID_PROPERTY_VALUE',
      `${value} has leading or trailing whitespace, which ${definition.type} properties do not accept.`,
    );

  switch (definition.type) {
    case 'string':
      if (definition.name === 'email') {
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
          return issue('INVALID_EMAIL', `Email address ${value} is invalid`);
        // HubSpot keeps addresses lower-case; uniqueness and lookups ignore case.
        return { value: value.toLowerCase() };
      }
      return { value };
    case 'phone_number':
      return { value };
    case 'number':
      // Exponent notation is refused ("1.42e-14 was not a valid number.", code as observed).
      return /^-?(\d+\.?\d*|\.\d+)$/.test(value)
        ? { value }
        : issue('INVALID_INTEGER', `${value} was not a valid number.`);
    case 'bool':
      return /^(true|false)$/i.test(value)
        ? { value: value.toLowerCase() }
        : issue('INVALID_BOOLEAN', `${value} was not a valid boolean.`);
    case 'date':
      return readDate(value, issue);
    case 'datetime': {
      const ms = toEpochMs(value);
      return ms === undefined
        ? issue('INVALID_DATETIME', `${value} was not a valid datetime.`)
        : { value: new Date(ms).toISOString() };
    }
    case 'enumeration': {
      const allowed = allowedOptions();
      const values = definition.fieldType === 'checkbox' ? value.split(';') : [value];
      const unknown = values.find((item) => !allowed.includes(item));
      return unknown === undefined
        ? { value }
        : issue('INVALID_OPTION', `${unknown} was not one of the allowed options: [${allowed.join(', ')}]`);
    }
  }
}

function readDate(value: string, issue: (code: string, message: string) => ValueReading): ValueReading {
  const ms = toEpochMs(value);
  if (ms === undefined) return issue('INVALID_DATE', `${value} was not a valid date.`);
  const at = new Date(ms);
  if (ms % 86_400_000 !== 0) {
    const time = at.toISOString().slice(11, 23);
    return issue('INVALID_DATE', `${value} is at ${time} UTC, not midnight!`);
  }
  return { value: at.toISOString().slice(0, 10) };
}

/** Epoch milliseconds of a datetime written as digits or as an ISO 8601 date or date-time. */
export function toEpochMs(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  // A date-time without a zone is UTC, as HubSpot reads it (not the emulator machine's zone).
  const iso =
    value.length === 10 ? `${value}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
