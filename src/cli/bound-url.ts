import type { AddressInfo } from 'node:net';

/**
 * The base URL of the address a server actually bound, as the operator configured it: 127.0.0.1 stays
 * 127.0.0.1 (a name like localhost may resolve to ::1 first, where nothing listens), 0.0.0.0 stays the
 * wildcard it is, IPv6 gets its brackets.
 */
export function boundUrl(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string')
    throw new TypeError(`the server is not listening on a TCP port (${String(address)})`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
