import { describe, expect, it } from 'vitest';
import {
  createProgressReporter,
  createRateMeter,
  formatDuration,
  formatProgress,
  type ProgressSnapshot,
} from './progress-reporter.ts';

const snapshot = (fields: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  listing: false,
  listed: 5000,
  toSync: 4990,
  settled: 1234,
  deadLettered: 12,
  ...fields,
});

describe('formatProgress', () => {
  it('shows done / total, failures, rate and ETA', () => {
    expect(formatProgress(snapshot(), 85.3)).toBe(
      'backfill: 1,234 / 4,990 synced · 12 failed · 85.3/s · ETA 0:44',
    );
  });

  it('gives no ETA while listing (the total still grows) or before the rate is known', () => {
    expect(formatProgress(snapshot({ listing: true, listed: 3200 }), 85.3)).toBe(
      'backfill: listing (3,200 so far) · 1,234 / 4,990 synced · 12 failed · 85.3/s',
    );
    expect(formatProgress(snapshot(), null)).toBe('backfill: 1,234 / 4,990 synced · 12 failed');
  });
});

describe('formatDuration', () => {
  it('writes minutes and seconds, and hours when there are some', () => {
    expect(formatDuration(9)).toBe('0:09');
    expect(formatDuration(245)).toBe('4:05');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});

describe('createRateMeter', () => {
  it('measures over its window, forgetting older samples', () => {
    const rate = createRateMeter(10_000);
    rate.sample(0, 0);
    expect(rate.perSecond()).toBeNull();
    rate.sample(5_000, 500);
    expect(rate.perSecond()).toBe(100);
    // Slower lately: only the last 10 s count.
    rate.sample(20_000, 600);
    rate.sample(30_000, 700);
    expect(rate.perSecond()).toBe(10);
  });
});

describe('the progress reporter', () => {
  it('rewrites one line in place on a terminal, and ends it when done', () => {
    const out: string[] = [];
    let clock = 0;
    const reporter = createProgressReporter({ write: (t) => out.push(t), tty: true, now: () => clock });
    reporter.update(snapshot({ settled: 1 }));
    clock = 100;
    reporter.update(snapshot({ settled: 2 })); // within 200 ms: not drawn
    clock = 300;
    reporter.update(snapshot({ settled: 3 }));
    reporter.done(snapshot({ settled: 4990 }));

    expect(out).toHaveLength(4);
    expect(out.slice(0, 3).every((text) => text.startsWith('\r') && text.endsWith('\x1b[K'))).toBe(true);
    expect(out[2]).toContain('4,990 / 4,990 synced');
    expect(out[3]).toBe('\n');
  });

  it('writes plain lines every few seconds when not on a terminal', () => {
    const out: string[] = [];
    let clock = 0;
    const reporter = createProgressReporter({
      write: (t) => out.push(t),
      tty: false,
      plainEveryMs: 10_000,
      now: () => clock,
    });
    for (clock = 0; clock <= 25_000; clock += 1_000) reporter.update(snapshot());
    expect(out).toHaveLength(3);
    expect(out.every((line) => line.startsWith('backfill: ') && line.endsWith('\n'))).toBe(true);
    expect(out.join('')).not.toContain('\r');
  });
});
