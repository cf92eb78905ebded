/** The console's stylesheet and htmx, read once from this package and from node_modules (no CDN, no build). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

export function registerStaticAssets(app: FastifyInstance): void {
  const assets = [
    {
      path: '/assets/console.css',
      type: 'text/css; charset=utf-8',
      body: readFileSync(new URL('./assets/console.css', import.meta.url)),
    },
    {
      path: '/assets/htmx.min.js',
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')),
    },
  ];
  // Browsers ask for it on their own; there is none.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  for (const asset of assets) {
    app.get(asset.path, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'private, max-age=3600').send(asset.body),
    );
  }
}
