/**
 * The organization's `transactioncurrency` rows: read-only here, the targets of
 * `transactioncurrencyid@odata.bind`. USD is the base currency; exchange rates are per 1 USD.
 */
import type { Random } from '../shared/random.ts';
import { createSchema, type EntitySchema, type Row } from './entity-schema.ts';

export const CURRENCY_SCHEMA: EntitySchema = createSchema(
  'transactioncurrencies',
  'transactioncurrency',
  'transactioncurrencyid',
  [
    { name: 'transactioncurrencyid', type: 'guid', readOnly: true },
    { name: 'isocurrencycode', type: 'string', maxLength: 5, readOnly: true },
    { name: 'currencyname', type: 'string', maxLength: 100, readOnly: true },
    { name: 'currencysymbol', type: 'string', maxLength: 10, readOnly: true },
    { name: 'currencyprecision', type: 'integer', readOnly: true },
    { name: 'exchangerate', type: 'double', readOnly: true },
    { name: 'statecode', type: 'state', options: { 0: 'Active', 1: 'Inactive' }, readOnly: true },
    { name: 'versionnumber', type: 'bigint', readOnly: true },
  ],
);

const SEEDED: ReadonlyArray<[string, string, string, number, number]> = [
  ['USD', 'US Dollar', '$', 2, 1],
  ['EUR', 'Euro', '€', 2, 0.92],
  ['GBP', 'Pound Sterling', '£', 2, 0.79],
  ['JPY', 'Yen', '¥', 0, 151.2],
  ['AUD', 'Australian Dollar', 'A$', 2, 1.52],
  ['CAD', 'Canadian Dollar', 'CA$', 2, 1.36],
  ['CHF', 'Swiss Franc', 'CHF', 2, 0.9],
  ['INR', 'Indian Rupee', '₹', 2, 83.3],
  ['BRL', 'Brazilian Real', 'R$', 2, 5.05],
  ['CNY', 'Yuan Renminbi', '¥', 2, 7.23],
  ['MXN', 'Mexican Peso', 'MX$', 2, 16.9],
  ['SEK', 'Swedish Krona', 'kr', 2, 10.6],
];

export function createCurrencyRows(random: Random): Row[] {
  return SEEDED.map(([iso, name, symbol, precision, rate], index) => ({
    transactioncurrencyid: random.uuid(),
    isocurrencycode: iso,
    currencyname: name,
    currencysymbol: symbol,
    currencyprecision: precision,
    exchangerate: rate,
    statecode: 0,
    versionnumber: 1000 + index,
  }));
}
