/** Word lists the referral generator draws from; fictitious names only (Microsoft's sample brands). */

export type CountryProfile = {
  country: string;
  region: string;
  locale: string;
  currency: string;
  phonePrefix: string;
  companySuffixes: readonly string[];
  places: readonly { city: string; state: string | null; postalCode: string }[];
  streets: readonly string[];
};

export const COUNTRIES: readonly CountryProfile[] = [
  {
    country: 'US',
    region: 'North America',
    locale: 'en-US',
    currency: 'USD',
    phonePrefix: '+1',
    companySuffixes: ['Inc.', 'LLC', 'Corp.'],
    places: [
      { city: 'Seattle', state: 'WA', postalCode: '98101' },
      { city: 'Springfield', state: 'IL', postalCode: '62701' },
      { city: 'Austin', state: 'TX', postalCode: '73301' },
      { city: 'Boston', state: 'MA', postalCode: '02108' },
    ],
    streets: ['Main Street', 'Market Street', 'Pine Avenue', 'Harbor Boulevard'],
  },
  {
    country: 'GB',
    region: 'Western Europe',
    locale: 'en-GB',
    currency: 'GBP',
    phonePrefix: '+44',
    companySuffixes: ['Ltd', 'plc'],
    places: [
      { city: 'London', state: null, postalCode: 'EC1A 1BB' },
      { city: 'Manchester', state: null, postalCode: 'M1 1AE' },
      { city: 'Edinburgh', state: null, postalCode: 'EH1 1YZ' },
    ],
    streets: ['High Street', 'Station Road', 'Church Lane'],
  },
  {
    country: 'DE',
    region: 'Western Europe',
    locale: 'de-DE',
    currency: 'EUR',
    phonePrefix: '+49',
    companySuffixes: ['GmbH', 'AG'],
    places: [
      { city: 'München', state: 'BY', postalCode: '80331' },
      { city: 'Berlin', state: 'BE', postalCode: '10115' },
      { city: 'Hamburg', state: 'HH', postalCode: '20095' },
    ],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße'],
  },
  {
    country: 'FR',
    region: 'Western Europe',
    locale: 'fr-FR',
    currency: 'EUR',
    phonePrefix: '+33',
    companySuffixes: ['SAS', 'S.A.'],
    places: [
      { city: 'Paris', state: null, postalCode: '75001' },
      { city: 'Lyon', state: null, postalCode: '69001' },
    ],
    streets: ['Rue de la République', 'Avenue Victor Hugo'],
  },
  {
    country: 'NL',
    region: 'Western Europe',
    locale: 'nl-NL',
    currency: 'EUR',
    phonePrefix: '+31',
    companySuffixes: ['B.V.', 'N.V.'],
    places: [
      { city: 'Amsterdam', state: 'NH', postalCode: '1012 AB' },
      { city: 'Utrecht', state: 'UT', postalCode: '3511 AA' },
    ],
    streets: ['Kerkstraat', 'Stationsplein'],
  },
  {
    country: 'JP',
    region: 'Japan',
    locale: 'ja-JP',
    currency: 'JPY',
    phonePrefix: '+81',
    companySuffixes: ['K.K.', 'Co., Ltd.'],
    places: [
      { city: 'Tokyo', state: 'Tokyo', postalCode: '100-0001' },
      { city: 'Osaka', state: 'Osaka', postalCode: '530-0001' },
    ],
    streets: ['1-1 Marunouchi', '2-3 Umeda'],
  },
  {
    country: 'AU',
    region: 'Asia Pacific',
    locale: 'en-AU',
    currency: 'AUD',
    phonePrefix: '+61',
    companySuffixes: ['Pty Ltd'],
    places: [
      { city: 'Sydney', state: 'NSW', postalCode: '2000' },
      { city: 'Melbourne', state: 'VIC', postalCode: '3000' },
    ],
    streets: ['George Street', 'Collins Street'],
  },
  {
    country: 'CA',
    region: 'North America',
    locale: 'en-CA',
    currency: 'CAD',
    phonePrefix: '+1',
    companySuffixes: ['Inc.', 'Ltd.'],
    places: [
      { city: 'Toronto', state: 'ON', postalCode: 'M5H 2N2' },
      { city: 'Vancouver', state: 'BC', postalCode: 'V6B 1A1' },
    ],
    streets: ['King Street West', 'Granville Street'],
  },
  {
    country: 'IN',
    region: 'India',
    locale: 'en-IN',
    currency: 'INR',
    phonePrefix: '+91',
    companySuffixes: ['Pvt. Ltd.'],
    places: [
      { city: 'Bengaluru', state: 'KA', postalCode: '560001' },
      { city: 'Mumbai', state: 'MH', postalCode: '400001' },
    ],
    streets: ['MG Road', 'Linking Road'],
  },
  {
    country: 'BR',
    region: 'Latin America',
    locale: 'pt-BR',
    currency: 'BRL',
    phonePrefix: '+55',
    companySuffixes: ['Ltda.', 'S.A.'],
    places: [{ city: 'São Paulo', state: 'SP', postalCode: '01000-000' }],
    streets: ['Avenida Paulista', 'Rua Augusta'],
  },
];

export const COMPANY_STEMS = [
  'Northwind Traders',
  'Fabrikam',
  'Tailspin Toys',
  'Wingtip Toys',
  'Adventure Works',
  'Alpine Ski House',
  'Blue Yonder Airlines',
  'Coho Winery',
  'Litware',
  'Lucerne Publishing',
  'Proseware',
  'Trey Research',
  'Woodgrove Bank',
  'Wide World Importers',
  'Fourth Coffee',
  'Humongous Insurance',
  'Relecloud',
  'VanArsdel',
  'A. Datum',
  'Graphic Design Institute',
  'Southridge Video',
  'City Power & Light',
];

export const FIRST_NAMES = [
  'Alex',
  'Sam',
  'Jordan',
  'Priya',
  'Kenji',
  'Aiko',
  'Lukas',
  'Anna',
  'Chloé',
  'Mateo',
  'Olivia',
  'Noah',
  'Fatima',
  'Wei',
  'Ravi',
  'Sofia',
  'Liam',
  'Emma',
  'João',
  'Ingrid',
];

export const LAST_NAMES = [
  'Rivera',
  'Lee',
  'Patel',
  'Tanaka',
  'Müller',
  'Dubois',
  'Smith',
  'Garcia',
  'Kowalski',
  'Nguyen',
  'Silva',
  "O'Brien",
  'Jansen',
  'Cohen',
  'Kim',
  'Rossi',
  'Andersen',
  'Sato',
];

export const TITLES = [
  'CIO',
  'IT Director',
  'Head of Procurement',
  'CTO',
  'Cloud Architect',
  'Operations Manager',
];

export const INDUSTRIES = [
  'Retail',
  'Manufacturing',
  'Healthcare',
  'Financial Services',
  'Education',
  'Government',
];

export const PRODUCTS = [
  'Azure',
  'Microsoft 365',
  'Dynamics 365',
  'Power Platform',
  'Microsoft Fabric',
  'Copilot',
];

export const SERVICES = ['Migration', 'Managed Services', 'Consulting', 'Implementation', 'Training'];

export const SOLUTIONS = [
  { name: 'Contoso Migration Factory', solutionType: '3P' },
  { name: 'Contoso Secure Landing Zone', solutionType: '3P' },
  { name: 'Contoso Copilot Readiness', solutionType: '3P' },
  { name: 'Azure Virtual Desktop', solutionType: '1P' },
  { name: 'Microsoft Sentinel', solutionType: '1P' },
];

export const DEAL_NAMES = [
  'Azure migration',
  'Datacenter exit',
  'Copilot rollout',
  'Security modernization',
  'Data platform on Fabric',
  'ERP upgrade to Dynamics 365',
  'Contact center modernization',
  'SAP on Azure',
];

export const NOTES = [
  'Customer wants to move two datacenters to Azure this fiscal year.',
  'Looking for a partner with healthcare compliance experience.',
  'Budget approved; decision expected next quarter.',
  'Evaluating three partners, needs a proof of concept first.',
  'Existing licensing renewal; wants to add Copilot seats.',
  'Referred by Microsoft seller after an envisioning workshop.',
  '',
];

export const STATUS_REASONS = {
  Lost: ['Customer chose a competitor.', 'Budget was cut.', 'No decision made.'],
  Declined: [
    'Outside our coverage area.',
    'We lack the required certification.',
    'Duplicate of an existing deal.',
  ],
  Won: ['Contract signed.', null],
  Expired: [null],
} as const;

export const OTHER_PARTNERS = [
  {
    organizationId: '1d9b7f20-3c4e-4a5b-8d6f-2e1a0b9c8d7e',
    organizationName: 'Fabrikam Cloud Services',
    mpnId: '6123456',
  },
  {
    organizationId: 'c2e4a6b8-0d1f-4e3a-9b5c-7d8e9f0a1b2c',
    organizationName: 'Litware Consulting',
    mpnId: '6234567',
  },
] as const;
