/**
 * The demo's own fault knobs, on its connector instances rather than on an emulated remote:
 * `instance.kill=K` SIGKILLs an instance K times during the run. They are taken out of the `--faults`
 * spec here; the rest goes to the emulators' parser, which knows only the remotes.
 */
export class InstanceFaultError extends Error {
  readonly code = 'instance_fault_invalid';
  constructor(pair: string, problem: string) {
    super(`--faults: "${pair}" ${problem}`);
  }
}

export type InstanceFaults = { kills: number };

export function splitInstanceFaults(spec: string): { instance: InstanceFaults; remotes: string } {
  const instance: InstanceFaults = { kills: 0 };
  const remotes: string[] = [];
  for (const pair of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^instance\.([A-Za-z0-9]+)=(.*)$/.exec(pair);
    if (!match) {
      remotes.push(pair);
      continue;
    }
    const [, kind, raw = ''] = match;
    if (kind !== 'kill') throw new InstanceFaultError(pair, 'names an unknown kind; instance takes kill');
    const kills = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(kills) || kills < 0)
      throw new InstanceFaultError(pair, 'needs a whole number of kills');
    instance.kills = kills;
  }
  return { instance, remotes: remotes.join(',') };
}

/**
 * When the `k`-th of `kills` comes (1-based): once that share of the referrals has its lead, so the
 * kills fall while syncs are under way, spread evenly over the run (2 kills: at a third and two thirds).
 */
export function killThreshold(k: number, kills: number, referrals: number): number {
  return Math.max(1, Math.floor((k * referrals) / (kills + 1)));
}
