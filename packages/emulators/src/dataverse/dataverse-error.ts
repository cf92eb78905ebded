/**
 * Dataverse errors as the Web API renders them: `{"error":{"code":"0x…","message":"…"}}`. The hex code is
 * a platform code, unrelated to the HTTP status; clients classify on it, never on the message.
 */

/** Platform codes the emulator answers with. Codes marked [U] in the spec are our choice (see README). */
export const DATAVERSE_CODES = {
  /** Row not found. */
  objectDoesNotExist: '0x80040217',
  /** Generic invalid argument; also our choice for statecode on create and edits of a closed lead [U]. */
  invalidArgument: '0x80040203',
  /** Payload cannot be read: unknown property, wrong type, read-only column. */
  payloadError: '0x80048d19',
  /** URL / query option error: unknown column in $select, $filter syntax, $skip, missing Content-ID. */
  queryError: '0x80060888',
  /** Column value out of range: string too long, unknown option value. */
  validationError: '0x80044331',
  /** State/status pair not valid. */
  invalidStateStatus: '0x80048408',
  /** If-Match version mismatch. */
  concurrencyVersionMismatch: '0x80060882',
  /** If-None-Match: * hit an existing row [U]. */
  duplicateRecord: '0x80040237',
  /** Another row already holds the alternate-key value. */
  duplicateAlternateKey: '0x80060892',
  /** Delta token unknown or past its lifetime [U]. */
  expiredVersionStamp: '0x80044352',
  /** Token valid, but its app is no application user of the organization. */
  userNotInOrganization: '0x80072560',
  unexpected: '0x80040216',
  /** A synchronous plug-in threw InvalidPluginExecutionException ("ISV code aborted the operation"). */
  pluginAborted: '0x80040265',
  /** ChangeTrackingNotEnabledForEntity: `Prefer: odata.track-changes` on a table without tracking. */
  changeTrackingNotEnabled: '0x80072491',
  /** QueryBuilderNoEntity: no table of that logical name. */
  entityNotFound: '0x80041102',
  /** QueryBuilderNoAttribute: no column of that logical name [U: the code the platform documents]. */
  attributeNotFound: '0x80041103',
  /** The caller's roles lack a privilege the operation needs (e.g. prvCreateLead). */
  privilegeMissing: '0x80042F09',
  throttledRequests: '0x80072322',
  throttledExecutionTime: '0x80072321',
  throttledConcurrency: '0x80072326',
} as const;

export type DataverseCode = (typeof DATAVERSE_CODES)[keyof typeof DATAVERSE_CODES];

export type DataverseErrorBody = { error: { code: string; message: string } };

export class DataverseError extends Error {
  readonly status: number;
  readonly code: DataverseCode;
  readonly headers: Record<string, string>;

  constructor(status: number, code: DataverseCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'DataverseError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  body(): DataverseErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export function notFound(entity: string, id: string): DataverseError {
  return new DataverseError(
    404,
    DATAVERSE_CODES.objectDoesNotExist,
    `${entity} With Id = ${id} Does Not Exist`,
  );
}

export function queryError(message: string, status = 400): DataverseError {
  return new DataverseError(status, DATAVERSE_CODES.queryError, message);
}

export function payloadError(entitySet: string, detail: string): DataverseError {
  return new DataverseError(
    400,
    DATAVERSE_CODES.payloadError,
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${detail}`,
  );
}

export function unknownProperty(logicalName: string, property: string): DataverseError {
  return queryError(
    `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`,
  );
}
