/**
 * A remote look-up for a page (the webhook registration, the CRM's reachability): its answer is reused for
 * `ttlMs`, at most one call runs at a time, and a page never waits longer than `timeoutMs` for it.
 */
import type { Probe } from './templates/overview-page.ts';

export type CachedProbe<T> = () => Promise<Probe<T>>;

export function cachedProbe<T>(
  run: () => Promise<T>,
  options: { ttlMs: number; timeoutMs: number; now?: () => number },
): CachedProbe<T> {
  const now = options.now ?? Date.now;
  let cached: { at: number; probe: Probe<T> } | undefined;
  let inFlight: Promise<Probe<T>> | undefined;
  return async () => {
    if (cached && now() - cached.at < options.ttlMs) return cached.probe;
    inFlight ??= run()
      .then((value): Probe<T> => ({ ok: true, value }))
      .catch((error: unknown): Probe<T> => ({ ok: false, error: describeFailure(error) }))
      .then((probe) => {
        cached = { at: now(), probe };
        inFlight = undefined;
        return probe;
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Probe<T>>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, error: `no answer within ${options.timeoutMs / 1000} s` }),
        options.timeoutMs,
      );
    });
    try {
      return await Promise.race([inFlight, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** A stable code and the error's own message (our errors never carry secrets). */
function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
