/**
 * What the API route modules share: the portal's parts, and how an answer is written (JSON with
 * HubSpot's `application/json;charset=utf-8`).
 */
import type { FastifyReply } from 'fastify';
import type { AssociationStore } from './associations.ts';
import { HubSpotError, invalidInput, validationError } from './hubspot-error.ts';
import type { ObjectStore } from './object-store.ts';
import type { ObjectWrites } from './object-writes.ts';
import type { Pipelines } from './pipelines.ts';
import type { PropertyCatalog } from './property-catalog.ts';

export type RouteContext = {
  portalId: number;
  now: () => number;
  catalog: PropertyCatalog;
  pipelines: Pipelines;
  store: ObjectStore;
  associations: AssociationStore;
  writes: ObjectWrites;
};

export function sendJson(reply: FastifyReply, status: number, body?: unknown): FastifyReply {
  reply.code(status);
  if (body === undefined) return reply.send();
  return reply.type('application/json;charset=utf-8').send(JSON.stringify(body));
}

/** The body as an object; 400 as HubSpot answers a missing or mistyped one. */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined)
    throw validationError('Invalid JSON input: a request body was expected, but none found');
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidInput('Cannot deserialize the request body: an object was expected');
  return body as Record<string, unknown>;
}

/** `inputs` of a batch body: 400 without it, or with more than `max` items (spec C3: 100). */
export function batchInputs(body: unknown, max = 100): Array<Record<string, unknown>> {
  const inputs = requireObjectBody(body).inputs;
  if (!Array.isArray(inputs)) throw invalidInput('"inputs" must be an array');
  if (inputs.length > max)
    throw validationError(`Too many inputs: ${inputs.length}. A batch may have at most ${max} inputs.`, {
      context: { inputs: [String(inputs.length)] },
    });
  for (const input of inputs) {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw invalidInput('each batch input must be an object');
  }
  return inputs as Array<Record<string, unknown>>;
}

/** Batch answer envelope: 200 (or `okStatus`) when every input succeeded, 207 with `errors` otherwise. */
export function batchAnswer(
  reply: FastifyReply,
  startedAt: number,
  now: number,
  results: unknown[],
  errors: HubSpotErrorItem[],
  okStatus = 200,
): FastifyReply {
  return sendJson(reply, errors.length > 0 ? 207 : okStatus, {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: new Date(startedAt).toISOString(),
    completedAt: new Date(now).toISOString(),
  });
}

export type HubSpotErrorItem = Record<string, unknown>;

/** Runs one batch input; a HubSpotError becomes its item in `errors[]`, anything else propagates. */
export function perInput<T>(
  errors: HubSpotErrorItem[],
  context: Record<string, string[]>,
  run: () => T,
): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof HubSpotError)) throw error;
    errors.push(error.batchItem(context));
    return undefined;
  }
}
