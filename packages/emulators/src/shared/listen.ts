import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Listens on loopback and returns the origin clients should use. `localhost` (not an IP literal) so
 * that certificate checks and host allow-lists behave as they would against a named host; fastify
 * binds every address `localhost` resolves to.
 */
export async function listenOnLoopback(
  app: FastifyInstance,
  options: { https: boolean; port?: number },
): Promise<string> {
  await app.listen({ host: 'localhost', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  return `${options.https ? 'https' : 'http'}://localhost:${address.port}`;
}
