import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InjectedFault, OwnFault, ServiceName, Traffic } from './traffic.ts';

export type TrafficHookOptions = {
  service: ServiceName;
  traffic: Traffic;
  /** Path prefix the service is mounted under; stripped from endpoint names. */
  prefix?: string;
  /** Names the operation of a request; defaults to "METHOD /route/pattern". */
  endpointOf?: (request: FastifyRequest) => string;
  /** Sends the injected error in the service's own wire format (status, headers, body). */
  renderFault: (reply: FastifyReply, fault: InjectedFault) => FastifyReply;
  /** Sends a fault of the service's own kinds (`EXTRA_FAULT_KINDS`); services without any omit it. */
  renderOwnFault?: (reply: FastifyReply, fault: OwnFault) => FastifyReply;
  /**
   * Whether a drawn fault can happen on this request at all (e.g. a row lock only on writes); when not,
   * the request is answered normally. Default: every fault applies everywhere.
   */
  faultApplies?: (request: FastifyRequest, fault: InjectedFault | OwnFault) => boolean;
};

/**
 * Adds the counting, logging, latency and fault-injection hooks to a service's own fastify context.
 * Call it directly inside the service plugin (not through `register`), so the hooks cover its routes.
 */
export function installTrafficHooks(app: FastifyInstance, options: TrafficHookOptions): void {
  const { service, traffic } = options;
  const prefix = options.prefix ?? '';
  const endpointOf =
    options.endpointOf ??
    ((request: FastifyRequest) => {
      const pattern = request.routeOptions.url ?? '(unrouted)';
      const relative = prefix && pattern.startsWith(prefix) ? pattern.slice(prefix.length) : pattern;
      return `${request.method} ${relative || '/'}`;
    });
  const injectedBy = new WeakMap<FastifyRequest, (InjectedFault | OwnFault)['kind']>();

  app.addHook('onRequest', async (request, reply) => {
    const decision = traffic.decide(service, endpointOf(request));
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const fault = decision.fault;
    if (!fault || !(options.faultApplies?.(request, fault) ?? true)) return;
    if (fault.kind === '5xx' || fault.kind === '429') {
      injectedBy.set(request, fault.kind);
      return options.renderFault(reply, fault);
    }
    if (options.renderOwnFault) {
      injectedBy.set(request, fault.kind);
      return options.renderOwnFault(reply, fault);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const injected = injectedBy.get(request);
    traffic.record({
      service,
      endpoint: endpointOf(request),
      method: request.method,
      path: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      ...(injected ? { injected } : {}),
    });
  });
}
