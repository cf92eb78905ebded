import { describe, expect, test } from 'vitest';
import { createServiceProtection } from './service-protection.ts';

function setup(limits: Parameters<typeof createServiceProtection>[0]['limits']) {
  let now = 1_000_000;
  const protection = createServiceProtection({ now: () => now, limits });
  const advance = (ms: number) => {
    now += ms;
  };
  return { protection, advance };
}

describe('service protection', () => {
  test('refuses the request over the count of the window until the oldest one leaves it', () => {
    const { protection, advance } = setup({ requestsPerWindow: 2, windowMs: 5000 });
    for (const _ of [1, 2]) {
      const admission = protection.admit('u');
      if (admission.ok) admission.release(1);
      advance(1000);
    }
    const refused = protection.admit('u');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.status).toBe(429);
    expect(refused.error.code).toBe('0x80072322');
    expect(refused.error.message).toBe(
      'Number of requests exceeded the limit of 2 over time window of 5 seconds.',
    );
    expect(refused.error.headers['Retry-After']).toBe('3');
    advance(3000);
    expect(protection.admit('u').ok).toBe(true);
    expect(protection.throttled()).toMatchObject({ requests: 1, total: 1 });
  });

  test('counts each application user separately', () => {
    const { protection } = setup({ requestsPerWindow: 1 });
    expect(protection.admit('a').ok).toBe(true);
    expect(protection.admit('b').ok).toBe(true);
    expect(protection.admit('a').ok).toBe(false);
  });

  test('refuses at once beyond the concurrent requests and admits again after a release', () => {
    const { protection } = setup({ concurrentRequests: 1 });
    const first = protection.admit('u');
    const second = protection.admit('u');
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.code).toBe('0x80072326');
    if (first.ok) first.release(5);
    expect(protection.admit('u').ok).toBe(true);
  });

  test('refuses once the combined execution time of the window is spent', () => {
    const { protection } = setup({ executionTimeMs: 100 });
    const first = protection.admit('u');
    if (first.ok) first.release(120);
    const refused = protection.admit('u');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('0x80072321');
      expect(refused.error.message).toContain(
        'exceeded limit of 100 milliseconds over time window of 300 seconds',
      );
    }
  });

  test('refuses nonsensical limits, naming the limit', () => {
    const { protection } = setup({});
    expect(() => protection.setLimits({ windowMs: 0 })).toThrow(/windowMs/);
  });
});
