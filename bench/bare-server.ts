/**
 * The yardstick for ingress throughput: a bare `node:http` server in its own process that reads each
 * request body and answers 200 with a small JSON body, doing nothing else.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ANSWER = JSON.stringify({ accepted: true, kind: 'sync' });

const server = createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
});

process.on('message', (raw) => {
  if ((raw as { type?: string }).type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
