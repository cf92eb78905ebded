/** Messages between the harness and `load-generator.ts`. */

export type LoadPlan = {
  /** Full URL every request is POSTed to. */
  url: string;
  /** JSON file holding `SignedRequest[]`; used round-robin. */
  requestsFile: string;
  connections: number;
  mode:
    | { kind: 'saturate'; warmupMs: number; durationMs: number }
    /** Each request exactly once, as fast as the connections allow. */
    | { kind: 'once' };
};

export type LoadResult = {
  /** Responses completed inside the measured window (after warm-up). */
  completed: number;
  ok: number;
  statuses: Record<string, number>;
  errors: number;
  /** Measured window, ms. */
  elapsedMs: number;
  perSecond: number;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  /** Wall-clock (Date.now) of the first request sent and the last response received. */
  firstSentAt: number;
  lastDoneAt: number;
};

export type ToLoad = { type: 'run'; plan: LoadPlan };
export type FromLoad = { type: 'loaded' } | { type: 'result'; result: LoadResult };
