/**
 * Control API of the emulated organization, mounted at `/control/dataverse`: what tests, benchmarks and
 * `demo` do "from the CRM UI" (a seller edits, qualifies, disqualifies or deletes a lead) and the
 * service-protection knobs. Not part of the real Web API.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { DataverseSetup, DataverseState, QualifyParameters } from './dataverse-emulator.ts';
import { DataverseError } from './dataverse-error.ts';
import type { ServiceProtectionLimits } from './service-protection.ts';

type IdParams = { Params: { id: string } };

export function createDataverseControl(options: {
  state: DataverseState;
  setDeltaTokenLifetime: (ms: number) => void;
}): FastifyPluginAsync {
  const { state } = options;
  return async (app) => {
    app.setErrorHandler((error: unknown, _request, reply) => {
      if (error instanceof DataverseError) return reply.code(error.status).send(error.body());
      const message = error instanceof Error ? error.message : String(error);
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      return reply.code(status).send({ error: { code: 'control', message } });
    });

    app.get('/leads', async () => ({ value: state.leads() }));

    app.get<IdParams>(
      '/leads/:id',
      async (request, reply) => state.lead(request.params.id) ?? missing(reply, request.params.id),
    );

    app.patch<IdParams & { Body: Record<string, unknown> }>('/leads/:id', async (request, reply) => {
      if (!state.lead(request.params.id)) return missing(reply, request.params.id);
      return state.sellerUpdate(request.params.id, request.body ?? {});
    });

    app.post<IdParams & { Body: Partial<QualifyParameters> | undefined }>(
      '/leads/:id/qualify',
      async (request, reply) => {
        if (!state.lead(request.params.id)) return missing(reply, request.params.id);
        const result = state.sellerQualify(request.params.id, request.body ?? {});
        return { lead: result.row, created: result.created };
      },
    );

    app.post<IdParams & { Body: { statuscode?: number } | undefined }>(
      '/leads/:id/disqualify',
      async (request, reply) => {
        if (!state.lead(request.params.id)) return missing(reply, request.params.id);
        return state.sellerUpdate(request.params.id, {
          statecode: 2,
          statuscode: request.body?.statuscode ?? 4,
        });
      },
    );

    app.post<IdParams>('/leads/:id/reopen', async (request, reply) => {
      if (!state.lead(request.params.id)) return missing(reply, request.params.id);
      return state.sellerUpdate(request.params.id, { statecode: 0, statuscode: 1 });
    });

    app.delete<IdParams>('/leads/:id', async (request, reply) => {
      if (!state.deleteLead(request.params.id)) return missing(reply, request.params.id);
      return reply.code(204).send();
    });

    app.get('/currencies', async () => ({ value: state.currencies() }));

    app.get('/limits', async () => state.limits());
    app.put<{ Body: Partial<ServiceProtectionLimits> }>('/limits', async (request) =>
      state.setLimits(request.body ?? {}),
    );

    app.get('/throttled', async () => state.throttled());

    app.get('/reject-leads', async () => ({ rules: state.rejectLeads() }));
    app.put<{ Body: { rules?: unknown } }>('/reject-leads', async (request, reply) => {
      try {
        return { rules: state.setRejectLeads(request.body?.rules) };
      } catch (error) {
        return reply.code(400).send({ error: { code: 'control', message: (error as Error).message } });
      }
    });

    app.get('/setup', async () => state.setup());
    app.patch<{ Body: Partial<DataverseSetup> | undefined }>('/setup', async (request, reply) => {
      try {
        return state.setSetup(request.body ?? {});
      } catch (error) {
        return reply.code(400).send({ error: { code: 'control', message: (error as Error).message } });
      }
    });

    app.put<{ Body: { lifetimeMs?: number } }>('/delta-token-lifetime', async (request, reply) => {
      const ms = request.body?.lifetimeMs;
      if (typeof ms !== 'number' || ms <= 0)
        return reply
          .code(400)
          .send({ error: { code: 'control', message: 'lifetimeMs must be a positive number' } });
      options.setDeltaTokenLifetime(ms);
      return { lifetimeMs: ms };
    });
  };
}

function missing(reply: FastifyReply, id: string): FastifyReply {
  return reply
    .code(404)
    .send({ error: { code: '0x80040217', message: `lead With Id = ${id} Does Not Exist` } });
}
