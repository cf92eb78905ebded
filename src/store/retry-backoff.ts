export type BackoffPolicy = { baseMs: number; capMs: number };

/**
 * Delay before the next attempt after `attempts` failed ones: "full jitter", uniform in
 * [0, min(cap, base · 2^(attempts-1))], so workers that failed together do not retry together.
 * `random` returns a float in [0, 1).
 */
export function retryDelayMs(attempts: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity long after it passes any sane cap; min() keeps that harmless.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
