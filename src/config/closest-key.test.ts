import { describe, expect, it } from 'vitest';
import { closestKey, editDistance } from './closest-key.ts';

const KEYS = [
  'server.port',
  'server.host',
  'server.bodyLimitBytes',
  'crm.dynamics',
  'crm.dynamics.url',
  'log.level',
];

describe('closestKey', () => {
  it.each([
    ['server.prot', 'server.port'],
    ['server.bodyLimit', 'server.bodyLimitBytes'],
    ['Server.Port', 'server.port'],
    ['crm.dynamic', 'crm.dynamics'],
    ['log.lvl', 'log.level'],
  ])('suggests %s → %s', (typo, meant) => {
    expect(closestKey(typo, KEYS)).toBe(meant);
  });

  it.each(['flavour', 'sync.concurrency', 'x'])('suggests nothing for %s, far from every key', (name) => {
    expect(closestKey(name, KEYS)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions, and a swap of neighbours once', () => {
    expect(editDistance('port', 'port')).toBe(0);
    expect(editDistance('port', 'prot')).toBe(1);
    expect(editDistance('port', 'ports')).toBe(1);
    expect(editDistance('port', 'pot')).toBe(1);
    expect(editDistance('port', 'host')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
