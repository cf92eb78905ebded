/**
 * The targets as data, and whether a result meets them. Benchmarks report; nothing here fails
 * a build.
 */

export type Comparison = '<=' | '>=';

export type Target = {
  /** Dotted path of the figure in the results JSON. */
  key: string;
  label: string;
  unit: string;
  comparison: Comparison;
  threshold: number;
};

export type Verdict = Target & { value: number | null; met: boolean | null };

export const TARGETS: readonly Target[] = [
  {
    key: 'ingress.ratioToBare',
    label: 'Ingress throughput vs bare node:http',
    unit: '×',
    comparison: '>=',
    threshold: 0.4,
  },
  { key: 'ingress.p99Ms', label: 'Ingress p99 at saturation', unit: 'ms', comparison: '<=', threshold: 20 },
  { key: 'e2e.p50Ms', label: 'Event → lead p50 at 200/s', unit: 'ms', comparison: '<=', threshold: 15 },
  { key: 'e2e.p99Ms', label: 'Event → lead p99 at 200/s', unit: 'ms', comparison: '<=', threshold: 60 },
  {
    key: 'callsPerReferral.new',
    label: 'Remote calls per new referral',
    unit: 'calls',
    comparison: '<=',
    threshold: 3,
  },
  {
    key: 'callsPerReferral.tokensPerReferral',
    label: 'Tokens fetched per new referral',
    unit: 'tokens',
    comparison: '<=',
    threshold: 0.01,
  },
  {
    key: 'callsPerReferral.noopUpdate',
    label: 'Remote calls per no-op update',
    unit: 'calls',
    comparison: '<=',
    threshold: 2,
  },
  {
    key: 'callsPerReferral.burst10Syncs',
    label: 'Syncs per burst of 10 updates in 1 s',
    unit: 'syncs',
    comparison: '<=',
    threshold: 2,
  },
  {
    key: 'backlog.limitFraction',
    label: 'Dataverse rate / limit during backlog',
    unit: '×',
    comparison: '>=',
    threshold: 0.9,
  },
  {
    key: 'backlog.throttled',
    label: '429s after warm-up during backlog',
    unit: '',
    comparison: '<=',
    threshold: 0,
  },
  { key: 'footprint.readyMs', label: 'Start-up to ready', unit: 'ms', comparison: '<=', threshold: 1000 },
  { key: 'footprint.idleRssMb', label: 'Idle RSS', unit: 'MB', comparison: '<=', threshold: 80 },
  {
    key: 'footprint.peakRssMb',
    label: 'Peak RSS during scenarios 1–4',
    unit: 'MB',
    comparison: '<=',
    threshold: 150,
  },
  // On two cores more processes add no CPU: the goal is that coordinating through PostgreSQL costs none.
  {
    key: 'scaleOut.ratio2',
    label: 'Throughput, 2 instances ÷ 1 (PostgreSQL)',
    unit: '×',
    comparison: '>=',
    threshold: 0.9,
  },
  {
    key: 'scaleOut.ratio3',
    label: 'Throughput, 3 instances ÷ 1 (PostgreSQL)',
    unit: '×',
    comparison: '>=',
    threshold: 0.9,
  },
  {
    key: 'scaleOut.failoverSeconds',
    label: 'Failover after a SIGKILL (PostgreSQL)',
    unit: 's',
    comparison: '<=',
    threshold: 15,
  },
];

export function figureAt(results: unknown, key: string): number | null {
  let value: unknown = results;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function judge(target: Target, value: number | null): Verdict {
  const met =
    value === null
      ? null
      : target.comparison === '<='
        ? value <= target.threshold
        : value >= target.threshold;
  return { ...target, value, met };
}

/** Every target against the results, plus any extra ones computed from them. */
export function judgeAll(results: unknown, extra: readonly Target[] = []): Verdict[] {
  return [...TARGETS, ...extra].map((target) => judge(target, figureAt(results, target.key)));
}
