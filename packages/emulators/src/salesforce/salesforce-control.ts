/**
 * Control API of the emulated org, mounted at `/control/salesforce`: what tests, benchmarks and `demo`
 * do "in Salesforce" rather than through the API (a seller edits, sets the status of, converts or
 * deletes a lead; an admin changes org settings, the connected app or a user) and the usage counter.
 * Not part of the real API. Domain errors keep Salesforce's array format; bad control input is
 * `[{"errorCode":"CONTROL_INVALID","message"}]`.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { SalesforceState } from './salesforce-emulator.ts';
import { SalesforceError } from './salesforce-error.ts';

type IdParams = { Params: { id: string } };

const orgChanges = z
  .object({
    stateCountryPicklists: z.boolean().optional(),
    dailyApiRequests: z.number().int().min(0).optional(),
    sessionLifetimeMs: z.number().int().positive().optional(),
  })
  .strict();
const appChanges = z
  .object({
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    certificatePem: z.string().includes('BEGIN CERTIFICATE').optional(),
    clientCredentialsEnabled: z.boolean().optional(),
    runAsUsername: z.string().min(1).nullable().optional(),
  })
  .strict();
const userChanges = z
  .object({ active: z.boolean().optional(), preAuthorized: z.boolean().optional() })
  .strict();
const convertParameters = z
  .object({ convertedStatus: z.string().optional(), doNotCreateOpportunity: z.boolean().optional() })
  .strict();

class ControlInputError extends Error {}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new ControlInputError(z.prettifyError(parsed.error));
  return parsed.data;
}

export function createSalesforceControl(options: { state: SalesforceState }): FastifyPluginAsync {
  const { state } = options;
  return async (app) => {
    app.setErrorHandler((error: unknown, _request, reply) => {
      if (error instanceof SalesforceError) return reply.code(error.status).send(error.body());
      const message = error instanceof Error ? error.message : String(error);
      const status =
        error instanceof ControlInputError ? 400 : ((error as { statusCode?: number }).statusCode ?? 400);
      return reply.code(status).send([{ message, errorCode: 'CONTROL_INVALID' }]);
    });

    const known = (id: string) => {
      const lead = state.lead(id);
      if (!lead) throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return lead;
    };

    app.get('/leads', async () => ({ records: state.leads() }));
    app.get<IdParams>('/leads/:id', async (request) => known(request.params.id));
    app.patch<IdParams & { Body: Record<string, unknown> }>('/leads/:id', async (request) =>
      state.sellerUpdate(known(request.params.id).Id, request.body ?? {}),
    );
    app.post<IdParams & { Body: { status?: unknown } }>('/leads/:id/status', async (request) => {
      const status = parse(z.object({ status: z.string().min(1) }).strict(), request.body).status;
      return state.setStatus(known(request.params.id).Id, status);
    });
    app.post<IdParams>('/leads/:id/convert', async (request) =>
      state.convert(known(request.params.id).Id, parse(convertParameters, request.body)),
    );
    app.delete<IdParams>('/leads/:id', async (request, reply) => {
      state.deleteLead(known(request.params.id).Id);
      return reply.code(204).send();
    });

    app.get('/lead-statuses', async () => ({ records: state.leadStatuses() }));

    app.get('/org', async () => state.org());
    app.put('/org', async (request) => state.setOrg(parse(orgChanges, request.body)));

    app.get('/api-usage', async () => state.apiUsage());
    app.put('/api-usage', async (request) =>
      state.setApiUsage(parse(z.object({ used: z.number().int().min(0) }).strict(), request.body).used),
    );

    app.post('/sessions/end', async () => ({ ended: state.endSessions() }));

    app.get('/connected-app', async () => state.connectedApp());
    app.put('/connected-app', async (request) => state.setConnectedApp(parse(appChanges, request.body)));

    app.get<{ Params: { username: string } }>('/users/:username', async (request, reply) => {
      const user = state.user(request.params.username);
      return user ?? reply.code(404).send([{ message: 'no such user', errorCode: 'NOT_FOUND' }]);
    });
    app.patch<{ Params: { username: string } }>('/users/:username', async (request) =>
      state.setUser(request.params.username, parse(userChanges, request.body)),
    );
  };
}
