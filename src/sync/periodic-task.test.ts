import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPeriodicTask } from './periodic-task.ts';

describe('createPeriodicTask', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at start when asked, then an interval after each pass ends; a failed pass does not stop it', async () => {
    const passes: number[] = [];
    const errors: unknown[] = [];
    let n = 0;
    const task = createPeriodicTask({
      run: async () => {
        n += 1;
        if (n === 2) throw new Error('remote down');
        return n;
      },
      intervalMs: 1_000,
      runAtStart: true,
      onResult: (result) => passes.push(result),
      onError: (error) => errors.push(error),
    });

    task.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toEqual([1]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(passes).toEqual([1, 3]);
    expect(errors).toEqual([new Error('remote down')]);
    await task.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(passes).toEqual([1, 3]);
  });

  it('waits one interval before the first pass otherwise', async () => {
    const run = vi.fn(async () => undefined);
    const task = createPeriodicTask({ run, intervalMs: 1_000, runAtStart: false, onError: () => {} });
    task.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await task.stop();
  });

  it('never runs with an interval of 0, the settings\' "off"', async () => {
    const run = vi.fn(async () => undefined);
    const task = createPeriodicTask({ run, intervalMs: 0, runAtStart: true, onError: () => {} });
    task.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).not.toHaveBeenCalled();
    await task.stop();
  });

  it('runs a pass only while this instance leads it, and gives the lead up on stop', async () => {
    let leading = false;
    let released = 0;
    const run = vi.fn(async () => 'done');
    const task = createPeriodicTask({
      run,
      intervalMs: 1_000,
      runAtStart: true,
      onError: () => {},
      lead: {
        acquire: async () => leading,
        release: async () => {
          released += 1;
        },
      },
    });
    task.start();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(run).not.toHaveBeenCalled();
    leading = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    await task.stop();
    expect(released).toBe(1);
  });

  it('aborts the running pass on stop and waits for it to end', async () => {
    let ended = false;
    const task = createPeriodicTask({
      run: (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            ended = true;
            resolve();
          });
        }),
      intervalMs: 1_000,
      runAtStart: true,
      onError: () => {},
    });
    task.start();
    await vi.advanceTimersByTimeAsync(0);
    await task.stop();
    expect(ended).toBe(true);
  });
});
