/**
 * Control routes of the referrals emulator, mounted at `/control/referrals`: Microsoft-side creates
 * and updates, reads, and knobs. Bodies are JSON; errors use the same envelope as the API.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { errorForStatus, invalidRequest, ReferralsError, referralNotFound } from './referrals-error.ts';
import { renderError } from './referrals-routes.ts';
import type { ReferralsState } from './referrals-state.ts';

const MAX_GENERATED = 10_000;

const knobsSchema = z
  .object({
    requireMfa: z.boolean().optional(),
    createStatus: z.union([z.literal(200), z.literal(201)]).optional(),
  })
  .strict();

const createSchema = z.object({
  count: z.number().int().min(1).max(MAX_GENERATED).optional(),
  as: z.enum(['microsoft', 'partner']).optional(),
});

type IdParams = { Params: { id: string } };

export function referralsControl(state: ReferralsState): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(async (error, _request, reply) => {
      if (error instanceof ReferralsError) return renderError(reply, error);
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      return renderError(reply, errorForStatus(status, (error as Error).message));
    });

    /** `{count: N}` generates N referrals; any other body is a partial referral created as Microsoft. */
    app.post('/', async (request, reply) => {
      const body = objectBody(request.body);
      const options = createSchema.safeParse({ count: body.count, as: body.as });
      if (!options.success)
        throw invalidRequest(`Invalid control request: ${options.error.issues[0]?.message}`);
      if (options.data.count !== undefined) return reply.send({ value: state.generate(options.data.count) });
      const { as: _as, ...input } = body;
      return reply.send(state.create(input, { as: options.data.as ?? 'microsoft' }));
    });

    app.get('/', async () => ({ ids: state.all().map((referral) => referral.id) }));

    app.get('/knobs', async () => state.knobs());

    app.patch('/knobs', async (request) => {
      const parsed = knobsSchema.safeParse(request.body);
      if (!parsed.success) throw invalidRequest(`Invalid knobs: ${parsed.error.issues[0]?.message}`, 'knobs');
      return state.setKnobs(parsed.data);
    });

    app.post('/expire', async () => ({ value: state.expireDue() }));

    app.get<IdParams>('/:id', async (request) => {
      const referral = state.get(request.params.id);
      if (!referral) throw referralNotFound(request.params.id);
      return referral;
    });

    app.patch<IdParams>('/:id', async (request) => state.update(request.params.id, objectBody(request.body)));
  };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
