/**
 * REST API errors as Salesforce renders them: always a JSON array of `{message, errorCode, fields?}`
 * (spec B6). Clients classify on `errorCode` and the HTTP status, never on the message; messages follow
 * the observed ones so that logs read the same as in production. One factory per error the emulator
 * emits, so no caller builds prose itself.
 */

export type SalesforceErrorItem = { message: string; errorCode: string; fields?: string[] };

export class SalesforceError extends Error {
  readonly status: number;
  /** The `errorCode` of the (first) item. */
  readonly code: string;
  readonly fields: string[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: string[],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SalesforceError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
  }

  body(): SalesforceErrorItem[] {
    return [
      {
        message: this.message,
        errorCode: this.code,
        ...(this.fields === undefined ? {} : { fields: this.fields }),
      },
    ];
  }
}

const NO_SUCH_COLUMN_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

export const salesforceErrors = {
  notFound: () => new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'),
  entityIsDeleted: () => new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []),
  methodNotAllowed: (method: string, allowed: readonly string[]) =>
    new SalesforceError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
    ),
  sessionExpired: () => new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  requestLimitExceeded: () =>
    new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  /** The concurrent long-running request limit: what an injected throttle (the shared `429` knob) answers. */
  concurrentLimitExceeded: () =>
    new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
  unableToLockRow: (id: string | undefined) =>
    new SalesforceError(
      400,
      'UNABLE_TO_LOCK_ROW',
      id
        ? `unable to obtain exclusive access to this record or 1 records: ${id}`
        : 'unable to obtain exclusive access to this record',
      [],
    ),
  unknownException: (errorId: string) =>
    new SalesforceError(
      500,
      'UNKNOWN_EXCEPTION',
      `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
    ),
  serverUnavailable: () =>
    new SalesforceError(
      503,
      'SERVER_UNAVAILABLE',
      'The server is temporarily unavailable. Please try again later.',
    ),
  jsonParser: (detail: string) => new SalesforceError(400, 'JSON_PARSER_ERROR', detail),
  noSuchColumnOnSObject: (field: string, sobject: string) =>
    new SalesforceError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${sobject}`),
  noSuchColumnOnEntity: (field: string, sobject: string) =>
    new SalesforceError(
      400,
      'INVALID_FIELD',
      `No such column '${field}' on entity '${sobject}'. ${NO_SUCH_COLUMN_HINT}`,
    ),
  externalIdInBody: (field: string) =>
    new SalesforceError(
      400,
      'INVALID_FIELD',
      `The external ID field ${field} is in the URL; do not repeat it in the request body`,
      [field],
    ),
  notWritable: (fields: string[]) =>
    new SalesforceError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields,
    ),
  requiredFieldMissing: (fields: string[]) =>
    new SalesforceError(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${fields.join(', ')}]`,
      fields,
    ),
  stringTooLong: (field: string, label: string, value: string, max: number) =>
    new SalesforceError(
      400,
      'STRING_TOO_LONG',
      `${label}: data value too large: ${value} (max length=${max})`,
      [field],
    ),
  restrictedPicklist: (field: string, label: string, value: string) =>
    new SalesforceError(
      400,
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `${label}: bad value for restricted picklist field: ${value}`,
      [field],
    ),
  invalidEmail: (field: string, label: string, value: string) =>
    new SalesforceError(400, 'INVALID_EMAIL_ADDRESS', `${label}: invalid email address: ${value}`, [field]),
  malformedId: (field: string, label: string, value: string) =>
    new SalesforceError(400, 'MALFORMED_ID', `${label}: id value of incorrect type: ${value}`, [field]),
  duplicateValue: (field: string, holderId: string) =>
    new SalesforceError(
      400,
      'DUPLICATE_VALUE',
      `duplicate value found: ${field} duplicates value on record with id: ${holderId}`,
      [],
    ),
  cannotUpdateConvertedLead: () =>
    new SalesforceError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []),
  convertedStatusNotSettable: (value: string) =>
    new SalesforceError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      `Lead Status: ${value} is a converted status; only lead conversion sets it`,
      ['Status'],
    ),
  invalidConvertedStatus: (value: string) =>
    new SalesforceError(400, 'INVALID_STATUS', `invalid convertedStatus: ${value}`, []),
  countryIntegrity: (field: string) =>
    new SalesforceError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      `There's a problem with this country, even though it may appear correct. Please select a country/territory from the list of valid countries.: ${field}`,
      [field],
    ),
  stateIntegrity: (field: string) =>
    new SalesforceError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      `The existing country/territory doesn't recognize the state value for field: ${field}`,
      [field],
    ),
  stateCodeUnavailable: (code: string) =>
    new SalesforceError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      `The StateCode field contains ${code}, which isn't an available state for the selected country/territory.`,
      ['StateCode'],
    ),
  invalidQueryLocator: () => new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator'),
  invalidReplicationDate: (message: string) => new SalesforceError(400, 'INVALID_REPLICATION_DATE', message),
} as const;
