import { describe, expect, it } from 'vitest';
import { createRequestBudget } from './request-budget.ts';

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createRequestBudget', () => {
  it('never lets more requests run at once than its concurrency', async () => {
    const budget = createRequestBudget({ concurrency: 2 });
    const first = await budget.acquire();
    await budget.acquire();
    let third = false;
    const pending = budget.acquire().then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    expect(budget.inFlight).toBe(2);
    first();
    await pending;
    expect(third).toBe(true);
    expect(budget.inFlight).toBe(2);
  });

  it('holds requests beyond the window limit until the oldest leaves the window', async () => {
    const clock = fakeClock();
    const budget = createRequestBudget({
      concurrency: 10,
      windowMs: 1000,
      requestsPerWindow: 2,
      now: clock.now,
    });
    (await budget.acquire())();
    clock.advance(100);
    (await budget.acquire())();
    let started = false;
    const third = budget.acquire().then((release) => {
      started = true;
      release();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toBe(false);
    // The window plus the margin for the remote counting arrivals (at least 1 s).
    clock.advance(2100);
    await third;
    expect(started).toBe(true);
  });

  it('counts execution time against its budget', async () => {
    const clock = fakeClock();
    const budget = createRequestBudget({
      concurrency: 10,
      windowMs: 1000,
      executionMsPerWindow: 300,
      now: clock.now,
    });
    const release = await budget.acquire();
    clock.advance(400);
    release();
    let started = false;
    const next = budget.acquire().then((r) => {
      started = true;
      r();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toBe(false);
    clock.advance(2100);
    await next;
    expect(started).toBe(true);
  });

  it('serves waiters in arrival order, one slot each', async () => {
    const budget = createRequestBudget({ concurrency: 1 });
    const order: number[] = [];
    const hold = await budget.acquire();
    const runs = [1, 2, 3].map((n) =>
      budget.acquire().then((release) => {
        order.push(n);
        expect(budget.inFlight).toBe(1);
        release();
      }),
    );
    hold();
    await Promise.all(runs);
    expect(order).toEqual([1, 2, 3]);
  });

  it('pauses every request while the remote asked us to wait', async () => {
    const budget = createRequestBudget({ concurrency: 5 });
    budget.pauseFor(60);
    const started = Date.now();
    (await budget.acquire())();
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });
});
