/**
 * `/control/webhooks/...`: what the emulated dispatcher did, the trust anchor a connector must be
 * configured with, registrations, and the wire-format knobs. Not part of the real API.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WebhooksState } from './webhooks-emulator.ts';
import { knobsPatchSchema } from './webhooks-knobs.ts';

const notifySchema = z.object({
  eventName: z.enum(['referral-created', 'referral-updated']),
  referralId: z.string().min(1),
  changedAt: z.iso.datetime({ offset: true, precision: undefined }).optional(),
});

export function controlRoutes(state: WebhooksState, now: () => number) {
  return async function webhooksControl(app: FastifyInstance): Promise<void> {
    app.get('/deliveries', async () => state.deliveries());
    app.get('/counters', async () => state.counters());
    app.get('/registrations', async () => state.registrations());
    // Another integration takes the tenant's events (gotcha G5), or a test points them elsewhere.
    app.put<{ Params: { tenantId: string } }>('/registrations/:tenantId', async (request, reply) => {
      try {
        return state.registerAs(request.params.tenantId, request.body);
      } catch (error) {
        return reply.code(400).send({ error: (error as Error).message });
      }
    });
    app.get('/signing-root.pem', async (_request, reply) =>
      reply.header('content-type', 'application/x-pem-file').send(state.signingRootPem),
    );
    app.get('/knobs', async () => state.knobs());
    app.patch('/knobs', async (request, reply) => {
      const parsed = knobsPatchSchema.safeParse(request.body ?? {});
      if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
      return state.setKnobs(parsed.data);
    });
    app.post('/notify', async (request, reply) => {
      const parsed = notifySchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
      state.notify({ ...parsed.data, changedAt: parsed.data.changedAt ?? new Date(now()).toISOString() });
      return reply.code(202).send({ accepted: true });
    });
  };
}
