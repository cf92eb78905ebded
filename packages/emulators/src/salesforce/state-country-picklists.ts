/**
 * State and Country/Territory picklists (spec B9), applied to a write once the payload is valid: either
 * side of each pair may be written and the other is filled in (`CountryCode` ⇄ `Country` holding the
 * integration value, `StateCode` ⇄ `State`). A code and a text that disagree: on create the code wins,
 * on update the write is refused. A state must belong to the country. Refusals are 400
 * `FIELD_INTEGRITY_EXCEPTION`.
 */
import { countryCatalog } from './countries.ts';
import type { FieldValue } from './lead-table.ts';
import { salesforceErrors } from './salesforce-error.ts';

type Pair = { code: 'CountryCode' | 'StateCode'; text: 'Country' | 'State' };
const COUNTRY: Pair = { code: 'CountryCode', text: 'Country' };
const STATE: Pair = { code: 'StateCode', text: 'State' };

export function applyStateAndCountry(
  changes: Record<string, FieldValue>,
  current: Record<string, FieldValue> | undefined,
  mode: 'create' | 'update',
): Record<string, FieldValue> {
  const catalog = countryCatalog();
  const result = { ...changes };
  const written = (field: string) => field in changes;
  const str = (value: FieldValue | undefined) => (typeof value === 'string' ? value : null);

  const resolvePair = (
    pair: Pair,
    byCode: (code: string) => { code: string; name: string } | undefined,
    byName: (name: string) => { code: string; name: string } | undefined,
    unknownCode: (code: string) => Error,
    unknownText: () => Error,
  ) => {
    const code = str(changes[pair.code]);
    const text = str(changes[pair.text]);
    if (written(pair.code) && code !== null) {
      const entry = byCode(code);
      if (!entry) throw unknownCode(code);
      if (
        written(pair.text) &&
        text !== null &&
        text.toLowerCase() !== entry.name.toLowerCase() &&
        mode === 'update'
      ) {
        throw pair === COUNTRY
          ? salesforceErrors.countryIntegrity(pair.text)
          : salesforceErrors.stateIntegrity(pair.text);
      }
      result[pair.code] = entry.code;
      result[pair.text] = entry.name;
    } else if (written(pair.text) && text !== null) {
      const entry = byName(text);
      if (!entry) throw unknownText();
      result[pair.code] = entry.code;
      result[pair.text] = entry.name;
    } else if ((written(pair.code) && code === null) || (written(pair.text) && text === null)) {
      result[pair.code] = null;
      result[pair.text] = null;
    }
  };

  resolvePair(
    COUNTRY,
    (code) => catalog.countryByCode(code),
    (name) => catalog.countryByName(name),
    () => salesforceErrors.countryIntegrity(COUNTRY.code),
    () => salesforceErrors.countryIntegrity(COUNTRY.text),
  );
  const countryCode = str(COUNTRY.code in result ? result[COUNTRY.code] : current?.[COUNTRY.code]);
  resolvePair(
    STATE,
    (code) => (countryCode ? catalog.stateByCode(countryCode, code) : undefined),
    (name) => (countryCode ? catalog.stateByName(countryCode, name) : undefined),
    (code) => salesforceErrors.stateCodeUnavailable(code),
    () => salesforceErrors.stateIntegrity(STATE.text),
  );
  // A new country must still recognise the state the lead already had.
  const stateCode = str(STATE.code in result ? result[STATE.code] : current?.[STATE.code]);
  if (stateCode !== null && !(countryCode && catalog.stateByCode(countryCode, stateCode))) {
    throw salesforceErrors.stateCodeUnavailable(stateCode);
  }
  return result;
}
