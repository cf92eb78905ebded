/**
 * One Web API request and its answer, independent of the transport: the fastify routes and each
 * operation inside a `$batch` go through the same handler with these.
 */
import { DataverseError } from './dataverse-error.ts';
import { toJson } from './entity-json.ts';

/** The application user a request runs as. */
export type Caller = { clientId: string; systemUserId: string };

export type ApiRequest = {
  method: string;
  /** Resource path after the service root, still percent-encoded, without the query. */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
  caller: Caller;
};

export type ApiResponse = {
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** URL of the entity a write addressed, which later `$batch` parts may reference as `$<Content-ID>`. */
  entityUrl?: string;
};

export const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal';

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return { status, headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers }, body: toJson(body) };
}

export function errorResponse(error: DataverseError): ApiResponse {
  return jsonResponse(error.status, error.body(), error.headers);
}

export function isDataverseError(error: unknown): error is DataverseError {
  return error instanceof DataverseError;
}
