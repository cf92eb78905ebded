/**
 * Parses the `--faults` knob syntax: comma-separated `remote.kind=value` pairs, e.g.
 * `dataverse.5xx=0.1,dataverse.429=0.05,dispatcher.duplicate=0.2,referrals.latencyMs=50`.
 */
import {
  EXTRA_FAULT_KINDS,
  extraFaultKindsOf,
  type FaultSettings,
  SERVICE_NAMES,
  type ServiceName,
} from '../shared/traffic.ts';

const SERVICE_KINDS = ['5xx', '429', 'latencyMs', 'retryAfterSeconds'] as const;
const DISPATCHER_KINDS = ['duplicate', 'reorder', 'drop', 'latencyMs'] as const;
const RATE_KINDS = new Set([
  '5xx',
  '429',
  'duplicate',
  'reorder',
  'drop',
  ...Object.values(EXTRA_FAULT_KINDS).flat(),
]);

export class FaultSpecError extends Error {
  readonly code = 'fault_spec_invalid';
  readonly pair: string;
  constructor(pair: string, problem: string) {
    super(`--faults: "${pair}" ${problem}`);
    this.pair = pair;
  }
}

export function parseFaultSpec(spec: string): FaultSettings {
  const settings: FaultSettings = {};
  for (const pair of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z]+)\.([A-Za-z0-9]+)=(.+)$/.exec(pair);
    if (!match) throw new FaultSpecError(pair, 'is not of the form remote.kind=value');
    const [, remote = '', kind = '', raw = ''] = match;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new FaultSpecError(pair, 'needs a non-negative number');
    if (RATE_KINDS.has(kind) && value > 1)
      throw new FaultSpecError(pair, 'is a rate and must be between 0 and 1');
    if (remote === 'dispatcher') {
      if (!includes(DISPATCHER_KINDS, kind)) {
        throw new FaultSpecError(
          pair,
          `names an unknown kind; the dispatcher takes ${DISPATCHER_KINDS.join(', ')}`,
        );
      }
      settings.dispatcher = { ...settings.dispatcher, [kind]: value };
      continue;
    }
    if (!includes(SERVICE_NAMES, remote)) {
      throw new FaultSpecError(
        pair,
        `names an unknown remote; use one of ${[...SERVICE_NAMES, 'dispatcher'].join(', ')}`,
      );
    }
    const kinds = [...SERVICE_KINDS, ...extraFaultKindsOf(remote)];
    if (!includes(kinds, kind)) {
      const owners = Object.entries(EXTRA_FAULT_KINDS)
        .filter(([, extra]) => (extra as readonly string[]).includes(kind))
        .map(([owner]) => owner);
      const only = owners.length > 0 ? `; "${kind}" exists only for ${owners.join(', ')}` : '';
      throw new FaultSpecError(pair, `names an unknown kind${only}; ${remote} takes ${kinds.join(', ')}`);
    }
    const service: ServiceName = remote;
    settings[service] = { ...settings[service], [kind]: value };
  }
  return settings;
}

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
