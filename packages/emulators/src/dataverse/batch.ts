/**
 * `$batch` (spec A6): a multipart/mixed body of requests and change sets. Change sets are atomic (a
 * failure rolls back every operation of the set) and their parts may reference earlier ones as
 * `$<Content-ID>`. Without `Prefer: odata.continue-on-error` the batch stops at the first failure and
 * answers with that request's status and only its part; with it, every part is answered under a 200.
 */
import type { Random } from '../shared/random.ts';
import { type ApiRequest, type ApiResponse, errorResponse } from './api-message.ts';
import { DATAVERSE_CODES, DataverseError, queryError } from './dataverse-error.ts';
import {
  type HttpRequestMessage,
  parseHttpRequestMessage,
  serializeHttpResponseMessage,
} from './http-message.ts';
import type { LeadTable } from './lead-table.ts';
import {
  boundaryOf,
  MultipartError,
  type OutgoingPart,
  parseMultipart,
  serializeMultipart,
} from './multipart.ts';
import { parsePrefer } from './prefer-header.ts';
import type { WebApi } from './web-api.ts';

export const MAX_BATCH_REQUESTS = 1000;

export type BatchOptions = {
  api: WebApi;
  table: LeadTable;
  random: Random;
  /** Path of the service root on this host, e.g. "/dataverse/api/data/v9.2". */
  servicePath: string;
};

type Operation = { contentId?: string; message: HttpRequestMessage };
type Item = { kind: 'request'; operation: Operation } | { kind: 'changeset'; operations: Operation[] };

type Failure = { status: number; part: OutgoingPart };

export function executeBatch(request: ApiRequest, options: BatchOptions): ApiResponse {
  let items: Item[];
  try {
    items = readBatch(request);
  } catch (error) {
    if (error instanceof DataverseError) return errorResponse(error);
    if (error instanceof MultipartError) return errorResponse(queryError(error.message));
    throw error;
  }
  const continueOnError = parsePrefer(request.headers.prefer).continueOnError;
  const parts: OutgoingPart[] = [];
  const boundary = `batchresponse_${options.random.uuid()}`;
  const finish = (status: number, body: OutgoingPart[]): ApiResponse => ({
    status,
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    body: serializeMultipart(body, boundary),
  });

  for (const item of items) {
    if (item.kind === 'request') {
      const response = run(item.operation, new Map(), request, options);
      const part = responsePart(response, item.operation.contentId, options.random);
      if (response.status >= 400 && !continueOnError) return finish(response.status, [part]);
      parts.push(part);
      continue;
    }
    const outcome = runChangeSet(item.operations, request, options);
    if ('failure' in outcome) {
      if (!continueOnError) return finish(outcome.failure.status, [outcome.failure.part]);
      parts.push(outcome.failure.part);
      continue;
    }
    const changesetBoundary = `changesetresponse_${options.random.uuid()}`;
    parts.push({
      headers: [['Content-Type', `multipart/mixed; boundary=${changesetBoundary}`]],
      body: serializeMultipart(outcome.parts, changesetBoundary),
    });
  }
  return finish(200, parts);
}

function runChangeSet(
  operations: Operation[],
  request: ApiRequest,
  options: BatchOptions,
): { parts: OutgoingPart[] } | { failure: Failure } {
  const snapshot = options.table.snapshot();
  const references = new Map<string, string>();
  const parts: OutgoingPart[] = [];
  for (const operation of operations) {
    const response = run(operation, references, request, options);
    const part = responsePart(response, operation.contentId, options.random);
    if (response.status >= 400) {
      options.table.restore(snapshot);
      return { failure: { status: response.status, part } };
    }
    if (operation.contentId && response.entityUrl) references.set(operation.contentId, response.entityUrl);
    parts.push(part);
  }
  return { parts };
}

function run(
  operation: Operation,
  references: Map<string, string>,
  outer: ApiRequest,
  options: BatchOptions,
): ApiResponse {
  try {
    const { message } = operation;
    const target = resolveReference(message.target, references);
    const { path, query } = splitTarget(target, options.servicePath);
    const body = message.body === '' ? '' : resolveBodyReferences(message.body, references);
    if (
      (message.method === 'POST' || message.method === 'PATCH' || message.method === 'PUT') &&
      !message.headers['content-type']
    ) {
      throw new DataverseError(
        400,
        DATAVERSE_CODES.payloadError,
        'The Content-Type header is missing from a request in the batch; POST and PATCH parts need Content-Type: application/json.',
      );
    }
    if (path.replace(/^\/+/, '').startsWith('$batch'))
      throw queryError('Nested $batch requests are not supported.');
    return options.api.handle({
      method: message.method,
      path,
      query,
      headers: message.headers,
      body,
      caller: outer.caller,
    });
  } catch (error) {
    if (error instanceof DataverseError) return errorResponse(error);
    throw error;
  }
}

function resolveReference(target: string, references: Map<string, string>): string {
  const match = /^\$([\w-]+)(.*)$/.exec(target);
  if (!match?.[1]) return target;
  const url = references.get(match[1]);
  if (!url) throw queryError(`Content-ID Reference: '$${match[1]}' does not exist in the batch context.`);
  return `${url}${match[2] ?? ''}`;
}

function resolveBodyReferences(body: string, references: Map<string, string>): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (name.endsWith('@odata.bind') && typeof value === 'string' && value.startsWith('$')) {
      out[name] = resolveReference(value, references);
      changed = true;
    } else {
      out[name] = value;
    }
  }
  return changed ? JSON.stringify(out) : body;
}

/** Absolute URL, host-absolute path, or a path relative to the service root → path and raw query. */
export function splitTarget(target: string, servicePath: string): { path: string; query: string } {
  let rest = target.replace(/^https?:\/\/[^/]+/i, '');
  if (rest.startsWith(servicePath)) rest = rest.slice(servicePath.length);
  else rest = rest.replace(/^\/api\/data\/v9\.\d/, '');
  const question = rest.indexOf('?');
  const path = question === -1 ? rest : rest.slice(0, question);
  const query = question === -1 ? '' : rest.slice(question + 1);
  return { path: path.replace(/^\/+/, ''), query: query.replaceAll(' ', '%20') };
}

function responsePart(response: ApiResponse, contentId: string | undefined, random: Random): OutgoingPart {
  const mime: Array<[string, string]> = [
    ['Content-Type', 'application/http'],
    ['Content-Transfer-Encoding', 'binary'],
  ];
  if (contentId) mime.push(['Content-ID', contentId]);
  const headers: Array<[string, string]> = [];
  if (response.status >= 400) headers.push(['REQ_ID', random.uuid()]);
  for (const [name, value] of Object.entries(response.headers)) headers.push([name, value]);
  if (response.headers['OData-EntityId']) headers.push(['Location', response.headers['OData-EntityId']]);
  headers.push(['OData-Version', '4.0']);
  return {
    headers: mime,
    body: serializeHttpResponseMessage({
      status: response.status,
      headers,
      ...(response.body ? { body: response.body } : {}),
    }),
  };
}

function readBatch(request: ApiRequest): Item[] {
  const boundary = boundaryOf(request.headers['content-type']);
  if (!boundary) {
    throw queryError(
      "The batch request must have a 'Content-Type' of multipart/mixed with a boundary parameter.",
    );
  }
  const items: Item[] = [];
  const contentIds = new Set<string>();
  let count = 0;
  for (const part of parseMultipart(request.body, boundary)) {
    const inner = boundaryOf(part.headers['content-type']);
    if (inner) {
      const operations: Operation[] = [];
      for (const changePart of parseMultipart(part.body, inner)) {
        if (boundaryOf(changePart.headers['content-type'])) throw queryError('Change sets cannot be nested.');
        const operation = readOperation(changePart.headers, changePart.body);
        if (operation.message.method === 'GET') {
          throw queryError('GET requests are not allowed in a change set; place them outside change sets.');
        }
        if (!operation.contentId) {
          throw queryError(
            'Content-ID header is missing from a request in a change set; every change set request needs a unique Content-ID.',
          );
        }
        if (contentIds.has(operation.contentId))
          throw queryError(`The Content-ID '${operation.contentId}' is not unique in the batch.`);
        contentIds.add(operation.contentId);
        operations.push(operation);
      }
      count += operations.length;
      items.push({ kind: 'changeset', operations });
    } else {
      count += 1;
      items.push({ kind: 'request', operation: readOperation(part.headers, part.body) });
    }
    if (count > MAX_BATCH_REQUESTS) {
      throw queryError(`The number of requests in the batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
    }
  }
  return items;
}

function readOperation(headers: Record<string, string>, body: string): Operation {
  const type = headers['content-type'] ?? '';
  if (!/^application\/http\b/i.test(type)) {
    throw queryError(`A batch part must have Content-Type application/http, not '${type}'.`);
  }
  const operation: Operation = { message: parseHttpRequestMessage(body) };
  const contentId = headers['content-id'];
  if (contentId) operation.contentId = contentId;
  return operation;
}
