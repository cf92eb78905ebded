import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInstanceRegistry, type InstanceRegistry } from './instance-registry.ts';

/** A pool whose database can be switched off: the registry's own statements fail while it is down. */
function switchablePool() {
  const state = { up: true };
  const pool = {
    query: async () => {
      if (!state.up)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return { rows: [], rowCount: 0 };
    },
  } as unknown as Pool;
  return { pool, state };
}

describe('the instance registry', () => {
  let registry: InstanceRegistry | undefined;
  afterEach(async () => {
    await registry?.close();
  });

  it('judges other instances dead only after its own heartbeats have succeeded for the whole timeout', async () => {
    const { pool, state } = switchablePool();
    const judged: number[] = [];
    const started = performance.now();
    registry = createInstanceRegistry(pool, {
      id: '00000000-0000-4000-8000-000000000001',
      heartbeatMs: 20,
      timeoutMs: 200,
      onBeat: async () => judged.push(performance.now() - started),
    });
    await registry.ensureRegistered();

    await vi.waitFor(() => expect(judged.length).toBeGreaterThan(0), { timeout: 2_000, interval: 10 });
    expect(judged[0]).toBeGreaterThanOrEqual(200);

    // The database goes away and comes back: everyone's last beat is old now, so wait a timeout again.
    state.up = false;
    await sleep(100);
    judged.length = 0;
    const back = performance.now();
    state.up = true;
    await vi.waitFor(() => expect(judged.length).toBeGreaterThan(0), { timeout: 2_000, interval: 10 });
    expect((judged[0] ?? 0) + started - back).toBeGreaterThanOrEqual(200);
  });
});
