/**
 * The emulators' own administration API, shared by all services: counters, the request log, fault
 * knobs and the trust material a connector needs. Each service adds its own routes under
 * `/control/<service>`. Documented in the package's README.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { extraFaultKindsOf, type FaultSettings, SERVICE_NAMES, type Traffic } from '../shared/traffic.ts';

export type ControlRoutesOptions = {
  traffic: Traffic;
  /** PEM the connector adds to its trusted roots to accept the emulated webhook-signing chain. */
  signingRootPem: () => string;
  /** PEM of the CA that issued the emulators' TLS certificate, when they serve https. */
  tlsCaPem: string | undefined;
  services: readonly string[];
};

const knobs = z
  .object({
    '5xx': z.number().min(0).max(1).optional(),
    '429': z.number().min(0).max(1).optional(),
    latencyMs: z.number().min(0).optional(),
    retryAfterSeconds: z.number().min(0).optional(),
  })
  .strict();
/** The shared knobs plus the service's own fault kinds (rates), if it has any. */
function serviceFaultsOf(service: string) {
  const rate = z.number().min(0).max(1).optional();
  const own = knobs.extend(Object.fromEntries(extraFaultKindsOf(service).map((kind) => [kind, rate])));
  return own.extend({ endpoints: z.record(z.string(), own).optional() }).strict();
}
const faultSettings = z
  .object({
    ...Object.fromEntries(SERVICE_NAMES.map((name) => [name, serviceFaultsOf(name).optional()])),
    dispatcher: z
      .object({
        duplicate: z.number().min(0).max(1).optional(),
        reorder: z.number().min(0).max(1).optional(),
        drop: z.number().min(0).max(1).optional(),
        latencyMs: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export function createControlRoutes(options: ControlRoutesOptions): FastifyPluginAsync {
  const { traffic } = options;
  return async (app) => {
    app.get('/', async () => ({
      routes: [
        'GET /control/counters',
        'POST /control/counters/reset',
        'GET /control/requests?service=&sinceSeq=',
        'GET /control/faults',
        'PUT /control/faults',
        'GET /control/trust/signing-root.pem',
        'GET /control/trust/tls-ca.pem',
        ...options.services.map((name) => `/control/${name}/…`),
      ],
    }));
    app.get('/counters', async () => traffic.counters());
    app.post('/counters/reset', async (_request, reply) => {
      traffic.reset();
      return reply.code(204).send();
    });
    app.get<{ Querystring: { service?: string; sinceSeq?: string } }>('/requests', async (request, reply) => {
      const { service, sinceSeq } = request.query;
      if (service !== undefined && !(SERVICE_NAMES as readonly string[]).includes(service)) {
        return reply.code(400).send({ error: 'unknown_service', known: SERVICE_NAMES });
      }
      return traffic.requests({
        ...(service ? { service: service as (typeof SERVICE_NAMES)[number] } : {}),
        ...(sinceSeq ? { sinceSeq: Number(sinceSeq) } : {}),
      });
    });
    app.get('/faults', async () => traffic.faults());
    app.put('/faults', async (request, reply) => {
      const parsed = faultSettings.safeParse(request.body ?? {});
      if (!parsed.success) {
        return reply.code(400).send({ error: 'faults_invalid', issues: parsed.error.issues });
      }
      traffic.setFaults(parsed.data as FaultSettings);
      return traffic.faults();
    });
    app.get('/trust/signing-root.pem', async (_request, reply) =>
      reply.type('application/x-pem-file').send(options.signingRootPem()),
    );
    app.get('/trust/tls-ca.pem', async (_request, reply) => {
      if (!options.tlsCaPem) return reply.code(404).send({ error: 'not_https' });
      return reply.type('application/x-pem-file').send(options.tlsCaPem);
    });
  };
}
