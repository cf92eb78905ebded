/*
 * Partner Center sends ISO 3166-1 alpha-2 (spec §2.2); older docs linked an alpha-3 helper and free-typed
 * data can hold a name. We map what we can recognise with certainty and leave the rest empty (with a
 * reason) rather than guess. The table covers common markets; extend it when a warning shows a gap.
 */

/** alpha-2, alpha-3, then English names and common aliases. */
const COUNTRIES: readonly (readonly [string, string, ...string[]])[] = [
  ['US', 'USA', 'United States', 'United States of America', 'U.S.', 'U.S.A.'],
  [
    'GB',
    'GBR',
    'United Kingdom',
    'United Kingdom of Great Britain and Northern Ireland',
    'Great Britain',
    'UK',
  ],
  ['CA', 'CAN', 'Canada'],
  ['MX', 'MEX', 'Mexico'],
  ['BR', 'BRA', 'Brazil', 'Brasil'],
  ['AR', 'ARG', 'Argentina'],
  ['CL', 'CHL', 'Chile'],
  ['CO', 'COL', 'Colombia'],
  ['PE', 'PER', 'Peru'],
  ['UY', 'URY', 'Uruguay'],
  ['EC', 'ECU', 'Ecuador'],
  ['CR', 'CRI', 'Costa Rica'],
  ['PA', 'PAN', 'Panama'],
  ['PR', 'PRI', 'Puerto Rico'],
  ['DE', 'DEU', 'Germany', 'Deutschland'],
  ['FR', 'FRA', 'France'],
  ['IT', 'ITA', 'Italy', 'Italia'],
  ['ES', 'ESP', 'Spain', 'España'],
  ['PT', 'PRT', 'Portugal'],
  ['NL', 'NLD', 'Netherlands', 'The Netherlands', 'Holland'],
  ['BE', 'BEL', 'Belgium'],
  ['LU', 'LUX', 'Luxembourg'],
  ['CH', 'CHE', 'Switzerland'],
  ['AT', 'AUT', 'Austria', 'Österreich'],
  ['IE', 'IRL', 'Ireland'],
  ['DK', 'DNK', 'Denmark'],
  ['SE', 'SWE', 'Sweden'],
  ['NO', 'NOR', 'Norway'],
  ['FI', 'FIN', 'Finland'],
  ['IS', 'ISL', 'Iceland'],
  ['EE', 'EST', 'Estonia'],
  ['LV', 'LVA', 'Latvia'],
  ['LT', 'LTU', 'Lithuania'],
  ['PL', 'POL', 'Poland', 'Polska'],
  ['CZ', 'CZE', 'Czechia', 'Czech Republic'],
  ['SK', 'SVK', 'Slovakia'],
  ['HU', 'HUN', 'Hungary'],
  ['RO', 'ROU', 'Romania'],
  ['BG', 'BGR', 'Bulgaria'],
  ['GR', 'GRC', 'Greece'],
  ['HR', 'HRV', 'Croatia'],
  ['SI', 'SVN', 'Slovenia'],
  ['RS', 'SRB', 'Serbia'],
  ['UA', 'UKR', 'Ukraine'],
  ['CY', 'CYP', 'Cyprus'],
  ['MT', 'MLT', 'Malta'],
  ['TR', 'TUR', 'Türkiye', 'Turkey'],
  ['IL', 'ISR', 'Israel'],
  ['AE', 'ARE', 'United Arab Emirates', 'UAE'],
  ['SA', 'SAU', 'Saudi Arabia'],
  ['QA', 'QAT', 'Qatar'],
  ['EG', 'EGY', 'Egypt'],
  ['MA', 'MAR', 'Morocco'],
  ['NG', 'NGA', 'Nigeria'],
  ['KE', 'KEN', 'Kenya'],
  ['ZA', 'ZAF', 'South Africa'],
  ['KZ', 'KAZ', 'Kazakhstan'],
  ['IN', 'IND', 'India'],
  ['PK', 'PAK', 'Pakistan'],
  ['BD', 'BGD', 'Bangladesh'],
  ['LK', 'LKA', 'Sri Lanka'],
  ['CN', 'CHN', 'China', "People's Republic of China"],
  ['HK', 'HKG', 'Hong Kong'],
  ['TW', 'TWN', 'Taiwan'],
  ['JP', 'JPN', 'Japan'],
  ['KR', 'KOR', 'South Korea', 'Korea, Republic of', 'Republic of Korea'],
  ['SG', 'SGP', 'Singapore'],
  ['MY', 'MYS', 'Malaysia'],
  ['ID', 'IDN', 'Indonesia'],
  ['TH', 'THA', 'Thailand'],
  ['VN', 'VNM', 'Vietnam', 'Viet Nam'],
  ['PH', 'PHL', 'Philippines'],
  ['AU', 'AUS', 'Australia'],
  ['NZ', 'NZL', 'New Zealand'],
];

const BY_ALIAS: ReadonlyMap<string, string> = new Map(
  COUNTRIES.flatMap(([alpha2, ...aliases]) => aliases.map((alias) => [normalise(alias), alpha2] as const)),
);

export type CountryResult = { alpha2: string; reason?: undefined } | { alpha2: null; reason: string | null };

/**
 * `{ alpha2 }` when recognised; `{ alpha2: null, reason: null }` when there is no value;
 * `{ alpha2: null, reason }` when a value was present but not recognised.
 */
export function toCountryAlpha2(raw: string | null | undefined): CountryResult {
  const value = (raw ?? '').trim();
  if (value === '') return { alpha2: null, reason: null };
  // "UK" is only ISO-reserved; people mean GB.
  const fromAlias = BY_ALIAS.get(normalise(value));
  if (fromAlias) return { alpha2: fromAlias };
  // Any other two letters are taken as the alpha-2 the API documents; we do not keep a registry of codes.
  if (/^[A-Za-z]{2}$/.test(value)) return { alpha2: value.toUpperCase() };
  return {
    alpha2: null,
    reason: `"${value}" is not an ISO 3166 alpha-2 code, nor a known alpha-3 code or name`,
  };
}

/** Case, accents, dots and a leading "the" do not matter: "the Netherlands" = "NETHERLANDS". */
function normalise(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /, '');
}
