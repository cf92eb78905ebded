import { describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { createWorkersSupervisor, decideWorkers, type RunningWorkers } from './workers-supervisor.ts';

const T0 = Date.parse('2026-05-01T12:00:00Z');
const beat = (holder: string, kind: 'serve' | 'backfill', fields: Record<string, unknown> = {}) =>
  JSON.stringify({ holder, kind, at: new Date(T0).toISOString(), intervalMs: 1_000, ...fields });

describe('decideWorkers', () => {
  const serve = { live: true, holder: 'serve-1', kind: 'serve', ageMs: 10 } as const;
  const gone = { live: false } as const;

  it('starts our workers when nobody works the store, and not when a serve does', () => {
    expect(decideWorkers(gone, { running: false, holder: '' })).toBe('start');
    expect(decideWorkers(serve, { running: false, holder: '' })).toBe('keep');
  });

  it('hands over to a serve, but not to our own beat or another backfill', () => {
    expect(decideWorkers(serve, { running: true, holder: 'backfill-1' })).toBe('stop');
    const ours = { live: true, holder: 'backfill-1', kind: 'backfill', ageMs: 0 } as const;
    expect(decideWorkers(ours, { running: true, holder: 'backfill-1' })).toBe('keep');
    const other = { live: true, holder: 'backfill-2', kind: 'backfill', ageMs: 0 } as const;
    expect(decideWorkers(other, { running: true, holder: 'backfill-1' })).toBe('keep');
  });
});

describe('the workers supervisor', () => {
  it('runs workers while no serve beats, hands over when one starts, and takes over when it stops', async () => {
    let heartbeat: string | null = null;
    const events: string[] = [];
    const supervisor = createWorkersSupervisor({
      readHeartbeat: async () => heartbeat,
      startWorkers: async (): Promise<RunningWorkers> => {
        events.push('start');
        heartbeat = beat('backfill-1', 'backfill');
        return { holder: 'backfill-1', stop: async () => void events.push('stop') };
      },
      logger: createLogger({ level: 'silent' }),
      now: () => T0 + 500,
    });

    expect(await supervisor.check()).toBe('own');
    expect(await supervisor.check()).toBe('own');
    heartbeat = beat('serve-1', 'serve');
    expect(await supervisor.check()).toBe('other');
    heartbeat = beat('serve-1', 'serve', { stopped: true });
    expect(await supervisor.check()).toBe('own');
    await supervisor.stop(1_000);

    expect(events).toEqual(['start', 'stop', 'start', 'stop']);
    expect(supervisor.ranOwnWorkers).toBe(true);
  });
});
