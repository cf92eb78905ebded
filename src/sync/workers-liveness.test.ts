import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StorageBackend } from '../store/ports.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { createWorkersHeartbeat, readWorkersLiveness, WORKERS_HEARTBEAT } from './workers-liveness.ts';

const T0 = Date.parse('2026-05-01T12:00:00Z');
const beat = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    holder: 'serve-1',
    kind: 'serve',
    at: new Date(T0).toISOString(),
    intervalMs: 5_000,
    ...fields,
  });

describe('readWorkersLiveness', () => {
  it('calls workers live while their last beat is less than three intervals old', () => {
    expect(readWorkersLiveness(beat(), T0 + 14_999)).toEqual({
      live: true,
      holder: 'serve-1',
      kind: 'serve',
      ageMs: 14_999,
    });
    expect(readWorkersLiveness(beat(), T0 + 15_001)).toEqual({ live: false });
  });

  it('calls them gone at once when they said they stopped', () => {
    expect(readWorkersLiveness(beat({ stopped: true }), T0 + 1)).toEqual({ live: false });
  });

  it('takes a beat dated ahead of its clock as fresh (the writer’s clock runs ahead)', () => {
    expect(readWorkersLiveness(beat(), T0 - 2_000)).toMatchObject({ live: true, ageMs: 0 });
  });

  it('calls nobody live without a beat or with one it cannot read', () => {
    expect(readWorkersLiveness(null, T0)).toEqual({ live: false });
    expect(readWorkersLiveness('not json', T0)).toEqual({ live: false });
    expect(readWorkersLiveness(beat({ kind: 'martian' }), T0)).toEqual({ live: false });
    expect(readWorkersLiveness(beat({ intervalMs: 0 }), T0)).toEqual({ live: false });
  });
});

describe('the workers heartbeat', () => {
  let directory: string;
  let backend: StorageBackend;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'rc-liveness-'));
    backend = createSqliteBackend({ path: join(directory, 'db.sqlite') });
  });
  afterEach(async () => {
    await backend.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is read as live by another process on the store while it beats, and as gone once stopped', async () => {
    const heartbeat = createWorkersHeartbeat({
      store: backend.store,
      holder: 'serve-42',
      kind: 'serve',
      intervalMs: 50,
    });
    heartbeat.start();
    const other = createSqliteBackend({ path: join(directory, 'db.sqlite') });
    try {
      await vi.waitFor(async () =>
        expect(readWorkersLiveness(await other.store.getCursor(WORKERS_HEARTBEAT), Date.now())).toMatchObject(
          {
            live: true,
            holder: 'serve-42',
          },
        ),
      );
      // Still live several intervals later: it keeps beating.
      const firstBeat = await other.store.getCursor(WORKERS_HEARTBEAT);
      await vi.waitFor(async () =>
        expect(await other.store.getCursor(WORKERS_HEARTBEAT)).not.toBe(firstBeat),
      );

      await heartbeat.stop();
      expect(readWorkersLiveness(await other.store.getCursor(WORKERS_HEARTBEAT), Date.now())).toEqual({
        live: false,
      });
    } finally {
      await other.close();
    }
  });
});
