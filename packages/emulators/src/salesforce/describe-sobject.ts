/**
 * Describe results (spec B7): `GET /sobjects/` (describeGlobal), `GET /sobjects/Lead` (basic
 * information) and `GET /sobjects/Lead/describe`, every field entry carrying the full key set a real
 * org sends (nulls included), so typed clients such as jsforce find what they expect. Values not
 * modelled by the emulator take the standard field's usual value.
 */
import type { FieldDef, FieldType, PicklistValue, SObjectType } from './sobject-type.ts';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  currency: 'xsd:double',
  double: 'xsd:double',
  int: 'xsd:int',
  address: 'urn:address',
};

const COMPOUND: Record<string, string> = {
  Street: 'Address',
  City: 'Address',
  State: 'Address',
  PostalCode: 'Address',
  Country: 'Address',
  StateCode: 'Address',
  CountryCode: 'Address',
  FirstName: 'Name',
  LastName: 'Name',
  Salutation: 'Name',
};

/** Whether an object can be written through the API (Lead can, LeadStatus is setup data). */
const WRITABLE_OBJECTS = new Set(['Lead']);

export function describeGlobalEntry(type: SObjectType, apiVersion: string): Record<string, unknown> {
  const writable = WRITABLE_OBJECTS.has(type.name);
  const base = `/services/data/v${apiVersion}/sobjects/${type.name}`;
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: writable,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: writable,
    deprecatedAndHidden: false,
    feedEnabled: writable,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: type.keyPrefix,
    label: type.label,
    labelPlural: type.labelPlural,
    layoutable: writable,
    mergeable: writable,
    mruEnabled: writable,
    name: type.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: writable,
    triggerable: writable,
    undeletable: writable,
    updateable: writable,
    urls: {
      rowTemplate: `${base}/{ID}`,
      ...(writable ? { defaultValues: `${base}/defaultValues?recordTypeId&fields` } : {}),
      describe: `${base}/describe`,
      sobject: base,
    },
  };
}

export function describeGlobal(types: readonly SObjectType[], apiVersion: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: types.map((type) => describeGlobalEntry(type, apiVersion)),
  };
}

export function describeSObject(type: SObjectType, apiVersion: string): Record<string, unknown> {
  const global = describeGlobalEntry(type, apiVersion);
  const base = `/services/data/v${apiVersion}/sobjects/${type.name}`;
  const writable = WRITABLE_OBJECTS.has(type.name);
  return {
    actionOverrides: [],
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: [],
    compactLayoutable: writable,
    createable: writable,
    custom: false,
    customSetting: false,
    dataTranslationEnabled: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: writable,
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: writable,
    fields: type.fields.map((field) => describeField(field, type)),
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix: type.keyPrefix,
    label: type.label,
    labelPlural: type.labelPlural,
    layoutable: writable,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: writable,
    mruEnabled: writable,
    name: type.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: true,
    recordTypeInfos: writable
      ? [
          {
            active: true,
            available: true,
            defaultRecordTypeMapping: true,
            developerName: 'Master',
            master: true,
            name: 'Master',
            recordTypeId: '012000000000000AAA',
            urls: { layout: `${base}/describe/layouts/012000000000000AAA` },
          },
        ]
      : [],
    replicateable: true,
    retrieveable: true,
    searchLayoutable: writable,
    searchable: writable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: writable
      ? [
          { label: 'All leads', name: 'everything' },
          { label: 'My leads', name: 'mine' },
          { label: 'My team’s leads', name: 'team' },
        ]
      : [],
    triggerable: writable,
    undeletable: writable,
    updateable: writable,
    urls: {
      ...(global.urls as Record<string, string>),
      ...(writable
        ? {
            compactLayouts: `${base}/describe/compactLayouts`,
            approvalLayouts: `${base}/describe/approvalLayouts`,
            listviews: `${base}/listviews`,
            quickActions: `${base}/quickActions`,
            layouts: `${base}/describe/layouts`,
          }
        : {}),
    },
  };
}

export function describeField(field: FieldDef, type: SObjectType): Record<string, unknown> {
  const filterable = field.filterable ?? field.type !== 'address';
  const textual = ['string', 'email', 'phone', 'url', 'textarea', 'picklist'].includes(field.type);
  const length = textual || field.type === 'id' || field.type === 'reference' ? (field.length ?? 0) : 0;
  const controller = field.picklist?.controllerName ? type.field(field.picklist.controllerName) : undefined;
  return {
    aggregatable: filterable && field.type !== 'boolean',
    aiPredictionField: false,
    autoNumber: false,
    byteLength: field.type === 'id' || field.type === 'reference' ? length : length * 3,
    calculated: field.name === 'Name' || field.type === 'address',
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: field.caseSensitive ?? false,
    compoundFieldName: COMPOUND[field.name] ?? null,
    controllerName: field.picklist?.controllerName ?? null,
    createable: field.createable,
    custom: field.custom ?? false,
    defaultValue: field.type === 'boolean' && field.defaultedOnCreate ? false : null,
    defaultValueFormula: null,
    defaultedOnCreate: field.defaultedOnCreate ?? false,
    dependentPicklist: field.picklist?.controllerName !== undefined,
    deprecatedAndHidden: false,
    digits: field.digits ?? 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: field.externalId ?? false,
    extraTypeInfo: field.type === 'textarea' ? 'plaintextarea' : field.name === 'Name' ? 'personname' : null,
    filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: filterable && !['datetime', 'currency', 'double', 'textarea'].includes(field.type),
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: field.idLookup ?? false,
    inlineHelpText: null,
    label: field.label,
    length,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.nameField ?? false,
    namePointing: field.name === 'OwnerId',
    nillable: field.nillable,
    permissionable: field.nillable && (field.createable || field.updateable),
    picklistValues: field.picklist
      ? field.picklist.values().map((entry) => picklistEntry(entry, controller))
      : [],
    polymorphicForeignKey: (field.referenceTo?.length ?? 0) > 1,
    precision: field.precision ?? 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: field.picklist?.restricted ?? false,
    scale: field.scale ?? 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[field.type],
    sortable: filterable,
    type: field.type,
    unique: field.unique ?? false,
    updateable: field.updateable,
    writeRequiresMasterRead: false,
  };
}

/**
 * A picklist value; for a dependent picklist `validFor` is, as in the real describe, a base64 bit set
 * over the controlling field's values (bit i, most significant first, set when value i allows it).
 */
function picklistEntry(entry: PicklistValue, controller: FieldDef | undefined): Record<string, unknown> {
  let validFor: string | null = null;
  if (controller?.picklist && entry.validFor !== undefined) {
    const values = controller.picklist.values();
    const bytes = new Uint8Array(Math.ceil(values.length / 8));
    values.forEach((value, index) => {
      if (value.value === entry.validFor)
        bytes[index >> 3] = (bytes[index >> 3] ?? 0) | (0x80 >> (index & 7));
    });
    validFor = Buffer.from(bytes).toString('base64');
  }
  return { active: true, defaultValue: entry.defaultValue, label: entry.label, validFor, value: entry.value };
}
