/**
 * The State and Country/Territory picklists (spec B9): ISO 3166-1 alpha-2 country codes with their
 * integration values (the full English name, which Salesforce writes into the `Country` text field), and
 * the states of the countries for which a new org ships a state list here (United States, Canada,
 * Australia). Country names come from Node's ICU (`Intl.DisplayNames`), with "&" spelled "and".
 */

/** The 249 officially assigned ISO 3166-1 alpha-2 codes. */
const ISO_CODES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'.split(
    ' ',
  );

const US_STATES =
  'AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming';
const CA_STATES =
  'AB Alberta|BC British Columbia|MB Manitoba|NB New Brunswick|NL Newfoundland and Labrador|NS Nova Scotia|NT Northwest Territories|NU Nunavut|ON Ontario|PE Prince Edward Island|QC Quebec|SK Saskatchewan|YT Yukon Territories';
const AU_STATES =
  'ACT Australian Capital Territory|NSW New South Wales|NT Northern Territory|QLD Queensland|SA South Australia|TAS Tasmania|VIC Victoria|WA Western Australia';

export type PicklistEntry = { code: string; name: string };

export type CountryCatalog = {
  countries(): readonly PicklistEntry[];
  /** States of a country, empty when the org has no state list for it. */
  states(countryCode: string): readonly PicklistEntry[];
  countryByCode(code: string): PicklistEntry | undefined;
  /** By integration value (the name), case-insensitively; a code is not an integration value. */
  countryByName(name: string): PicklistEntry | undefined;
  stateByCode(countryCode: string, code: string): PicklistEntry | undefined;
  stateByName(countryCode: string, name: string): PicklistEntry | undefined;
};

let catalog: CountryCatalog | undefined;

export function countryCatalog(): CountryCatalog {
  catalog ??= buildCatalog();
  return catalog;
}

function buildCatalog(): CountryCatalog {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const countries = ISO_CODES.map((code) => ({
    code,
    name: (names.of(code) ?? code).replaceAll('&', 'and'),
  }));
  const parse = (list: string) =>
    list.split('|').map((entry) => {
      const space = entry.indexOf(' ');
      return { code: entry.slice(0, space), name: entry.slice(space + 1) };
    });
  const states = new Map<string, PicklistEntry[]>([
    ['US', parse(US_STATES)],
    ['CA', parse(CA_STATES)],
    ['AU', parse(AU_STATES)],
  ]);
  const byCode = new Map(countries.map((c) => [c.code, c]));
  const byName = new Map(countries.map((c) => [c.name.toLowerCase(), c]));
  const statesOf = (countryCode: string) => states.get(countryCode) ?? [];
  return {
    countries: () => countries,
    states: statesOf,
    countryByCode: (code) => byCode.get(code),
    countryByName: (name) => byName.get(name.toLowerCase()),
    stateByCode: (countryCode, code) => statesOf(countryCode).find((s) => s.code === code),
    stateByName: (countryCode, name) =>
      statesOf(countryCode).find((s) => s.name.toLowerCase() === name.toLowerCase()),
  };
}
