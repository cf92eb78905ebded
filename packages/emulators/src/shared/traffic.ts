/**
 * What the emulators saw and what they were told to break: per-endpoint counters, a bounded request
 * log, and the fault knobs (error rates, latency) every emulated service consults before answering.
 * Benchmarks count API calls per referral from here; tests and `demo --faults` set the knobs.
 */
import type { Random } from './random.ts';

/** The emulated remotes that answer HTTP. */
export const SERVICE_NAMES = [
  'entra',
  'referrals',
  'webhooks',
  'dataverse',
  'salesforce',
  'hubspot',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Fault kinds only some remotes have, on top of the shared 5xx/429: failures that exist in that
 * service's own API and nowhere else. Knobs of these kinds on other services are refused by the
 * parsers and never drawn.
 */
export const EXTRA_FAULT_KINDS = {
  /** `lock`: 400 UNABLE_TO_LOCK_ROW on writes; `sessionExpiry`: the session ends, 401 INVALID_SESSION_ID. */
  salesforce: ['lock', 'sessionExpiry'],
} as const satisfies Partial<Record<ServiceName, readonly string[]>>;
export type ExtraFaultKind = (typeof EXTRA_FAULT_KINDS)[keyof typeof EXTRA_FAULT_KINDS][number];

/** The extra fault kinds a service takes (none for most). */
export function extraFaultKindsOf(service: string): readonly ExtraFaultKind[] {
  return (EXTRA_FAULT_KINDS as Partial<Record<string, readonly ExtraFaultKind[]>>)[service] ?? [];
}

export type FaultKnobs = {
  /** Share of requests answered with a 5xx (0–1). */
  '5xx'?: number;
  /** Share of requests answered with 429 and Retry-After (0–1). */
  '429'?: number;
  /** Added to every request before it is handled. */
  latencyMs?: number;
  /** Retry-After sent with injected 429s; 1 s unless set. */
  retryAfterSeconds?: number;
} & Partial<Record<ExtraFaultKind, number>>;

export type ServiceFaults = FaultKnobs & {
  /** Overrides per endpoint name (see `endpoint` in RequestRecord), merged over the service's knobs. */
  endpoints?: Record<string, FaultKnobs>;
};

/** How the Partner Center dispatcher misbehaves on purpose. Rates are 0–1. */
export type DispatcherFaults = {
  duplicate?: number;
  reorder?: number;
  drop?: number;
  latencyMs?: number;
};

export type FaultSettings = Partial<Record<ServiceName, ServiceFaults>> & { dispatcher?: DispatcherFaults };

/** The faults every service can be told to inject. */
export type InjectedFault = { kind: '5xx'; status: 500 | 503 } | { kind: '429'; retryAfterSeconds: number };
/** A fault of one of a service's own kinds (`EXTRA_FAULT_KINDS`). */
export type OwnFault = { kind: ExtraFaultKind };
export type FaultDecision = { latencyMs: number; fault?: InjectedFault | OwnFault };

export type RequestRecord = {
  seq: number;
  at: string;
  service: ServiceName;
  /** Stable name of the operation, e.g. "GET /v1.0/engagements/referrals/:id". */
  endpoint: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  injected?: (InjectedFault | OwnFault)['kind'];
};

export type EndpointCounter = { count: number; byStatus: Record<string, number> };
export type ServiceCounters = {
  total: number;
  /** Extra kinds appear only for the services that have them. */
  injected: { '5xx': number; '429': number } & Partial<Record<ExtraFaultKind, number>>;
  byEndpoint: Record<string, EndpointCounter>;
};
export type Counters = Record<ServiceName, ServiceCounters>;

export type Traffic = {
  decide(service: ServiceName, endpoint: string): FaultDecision;
  record(entry: Omit<RequestRecord, 'seq' | 'at'>): void;
  counters(): Counters;
  requests(filter?: { service?: ServiceName; sinceSeq?: number }): RequestRecord[];
  /** Clears counters and the request log (not the fault knobs). */
  reset(): void;
  setFaults(settings: FaultSettings): void;
  faults(): FaultSettings;
};

export function createTraffic(options: { random: Random; logLimit?: number }): Traffic {
  const logLimit = options.logLimit ?? 20_000;
  const random = options.random;
  let faults: FaultSettings = {};
  let seq = 0;
  let log: RequestRecord[] = [];
  let counters = emptyCounters();

  return {
    decide(service, endpoint) {
      const serviceKnobs = faults[service];
      if (!serviceKnobs) return { latencyMs: 0 };
      const knobs: FaultKnobs = { ...serviceKnobs, ...serviceKnobs.endpoints?.[endpoint] };
      const latencyMs = knobs.latencyMs ?? 0;
      // One draw decides between the error kinds so their rates add up as written.
      const draw = random.next();
      const rate429 = knobs['429'] ?? 0;
      const rate5xx = knobs['5xx'] ?? 0;
      if (draw < rate429) {
        return { latencyMs, fault: { kind: '429', retryAfterSeconds: knobs.retryAfterSeconds ?? 1 } };
      }
      if (draw < rate429 + rate5xx) {
        return { latencyMs, fault: { kind: '5xx', status: random.chance(0.5) ? 500 : 503 } };
      }
      // The service's own kinds follow on the same draw, so all rates add up as written.
      let threshold = rate429 + rate5xx;
      for (const kind of extraFaultKindsOf(service)) {
        threshold += knobs[kind] ?? 0;
        if (draw < threshold) return { latencyMs, fault: { kind } };
      }
      return { latencyMs };
    },
    record(entry) {
      seq += 1;
      const record: RequestRecord = { seq, at: new Date().toISOString(), ...entry };
      log.push(record);
      if (log.length > logLimit) log = log.slice(log.length - Math.floor(logLimit / 2));
      const service = counters[entry.service];
      service.total += 1;
      if (entry.injected) service.injected[entry.injected] = (service.injected[entry.injected] ?? 0) + 1;
      const endpoint = service.byEndpoint[entry.endpoint] ?? { count: 0, byStatus: {} };
      service.byEndpoint[entry.endpoint] = endpoint;
      endpoint.count += 1;
      endpoint.byStatus[entry.status] = (endpoint.byStatus[entry.status] ?? 0) + 1;
    },
    counters: () => structuredClone(counters),
    requests(filter = {}) {
      return log.filter(
        (r) =>
          (filter.service === undefined || r.service === filter.service) &&
          (filter.sinceSeq === undefined || r.seq > filter.sinceSeq),
      );
    },
    reset() {
      log = [];
      counters = emptyCounters();
    },
    setFaults(settings) {
      faults = structuredClone(settings);
    },
    faults: () => structuredClone(faults),
  };
}

function emptyCounters(): Counters {
  const entries = SERVICE_NAMES.map((name) => [
    name,
    {
      total: 0,
      injected: {
        '5xx': 0,
        '429': 0,
        ...Object.fromEntries(extraFaultKindsOf(name).map((kind) => [kind, 0])),
      },
      byEndpoint: {},
    } satisfies ServiceCounters,
  ]);
  return Object.fromEntries(entries) as Counters;
}
