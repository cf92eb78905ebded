import { afterEach, describe, expect, test } from 'vitest';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('service protection limits over HTTP', () => {
  test('answers 429 with Retry-After once the requests of the window are spent, then recovers', async () => {
    world = await startDataverseWorld({ limits: { requestsPerWindow: 3, windowMs: 5000 } });
    for (const _ of [1, 2, 3]) expect((await world.call('GET', 'WhoAmI')).status).toBe(200);
    const refused = await world.call('GET', 'WhoAmI');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json.error).toEqual({
      code: '0x80072322',
      message: 'Number of requests exceeded the limit of 3 over time window of 5 seconds.',
    });
    expect(world.state.throttled()).toMatchObject({ requests: 1, total: 1 });
    world.clock.advance(5000);
    expect((await world.call('GET', 'WhoAmI')).status).toBe(200);
  });

  test('answers 429 at once beyond the concurrent requests', async () => {
    world = await startDataverseWorld({ limits: { concurrentRequests: 2 } });
    world.traffic.setFaults({ dataverse: { latencyMs: 400 } });
    const answers = await Promise.all([1, 2, 3].map(() => world?.call('GET', 'WhoAmI')));
    const statuses = answers.map((a) => a?.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    const refused = answers.find((a) => a?.status === 429);
    expect(refused?.json.error?.code).toBe('0x80072326');
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
  });

  test('answers 429 once the combined execution time of the window is spent', async () => {
    world = await startDataverseWorld({ limits: { executionTimeMs: 100 } });
    world.traffic.setFaults({ dataverse: { latencyMs: 60 } });
    expect((await world.call('GET', 'WhoAmI')).status).toBe(200);
    expect((await world.call('GET', 'WhoAmI')).status).toBe(200);
    const refused = await world.call('GET', 'WhoAmI');
    expect(refused.status).toBe(429);
    expect(refused.json.error?.code).toBe('0x80072321');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  test('limits can be changed at run time through the control API', async () => {
    world = await startDataverseWorld();
    const set = await world.control('PUT', '/limits', { requestsPerWindow: 1, windowMs: 2000 });
    expect(set.json).toMatchObject({ requestsPerWindow: 1, windowMs: 2000, concurrentRequests: 52 });
    expect((await world.call('GET', 'WhoAmI')).status).toBe(200);
    const refused = await world.call('GET', 'WhoAmI');
    expect(refused.json.error?.message).toBe(
      'Number of requests exceeded the limit of 1 over time window of 2 seconds.',
    );
    expect((await world.control('GET', '/throttled')).json).toMatchObject({ requests: 1 });
  });

  test('renders injected 429s as service protection errors and injected 5xx as Dataverse errors', async () => {
    world = await startDataverseWorld();
    world.traffic.setFaults({ dataverse: { '429': 1, retryAfterSeconds: 7 } });
    const throttled = await world.call('GET', 'WhoAmI');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect(['0x80072322', '0x80072321', '0x80072326']).toContain(throttled.json.error?.code);
    world.traffic.setFaults({ dataverse: { '5xx': 1 } });
    const failed = await world.call('GET', 'WhoAmI');
    expect([500, 503]).toContain(failed.status);
    expect(failed.json.error?.code).toBe('0x80040216');
    expect(world.traffic.counters().dataverse.injected).toEqual({ '429': 1, '5xx': 1 });
  });
});
