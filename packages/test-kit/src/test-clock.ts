/** A clock that moves only when told, so tests step over leases and back-offs instead of sleeping. */
export type TestClock = {
  /** Milliseconds since the epoch, as `Date.now`. */
  now: () => number;
  advance(ms: number): void;
  /** `now()` plus `ms`, as a Date. */
  in(ms: number): Date;
};

export function createTestClock(start = Date.parse('2026-11-02T09:00:00.000Z')): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    in: (ms) => new Date(current + ms),
  };
}
