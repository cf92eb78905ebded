import { describe, expect, it } from 'vitest';
import { boundUrl } from './bound-url.ts';

describe('boundUrl', () => {
  it('names the IPv4 address the server bound, not a host name', () => {
    expect(boundUrl({ address: '127.0.0.1', family: 'IPv4', port: 8080 })).toBe('http://127.0.0.1:8080');
    expect(boundUrl({ address: '0.0.0.0', family: 'IPv4', port: 80 })).toBe('http://0.0.0.0:80');
  });

  it('brackets an IPv6 address', () => {
    expect(boundUrl({ address: '::1', family: 'IPv6', port: 9090 })).toBe('http://[::1]:9090');
  });

  it('refuses a server that is not on a TCP port', () => {
    expect(() => boundUrl('/tmp/connector.sock')).toThrow(TypeError);
    expect(() => boundUrl(null)).toThrow(TypeError);
  });
});
