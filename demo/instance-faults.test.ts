import { describe, expect, it } from 'vitest';
import { killThreshold, splitInstanceFaults } from './instance-faults.ts';

describe('instance faults in the --faults spec', () => {
  it('takes instance.kill out and leaves the remotes’ knobs in order for the emulators', () => {
    expect(splitInstanceFaults('dataverse.5xx=0.1, instance.kill=2,dispatcher.duplicate=0.3')).toEqual({
      instance: { kills: 2 },
      remotes: 'dataverse.5xx=0.1,dispatcher.duplicate=0.3',
    });
  });

  it('means no kills when the spec names none', () => {
    expect(splitInstanceFaults('')).toEqual({ instance: { kills: 0 }, remotes: '' });
  });

  it('refuses a kill count that is not a whole number, and kinds it does not know', () => {
    expect(() => splitInstanceFaults('instance.kill=1.5')).toThrow(
      '"instance.kill=1.5" needs a whole number',
    );
    expect(() => splitInstanceFaults('instance.kill=')).toThrow('needs a whole number');
    expect(() => splitInstanceFaults('instance.pause=1')).toThrow('unknown kind; instance takes kill');
  });

  it('spreads kills evenly over the referrals synced', () => {
    expect([1, 2].map((k) => killThreshold(k, 2, 300))).toEqual([100, 200]);
    expect(killThreshold(1, 1, 1)).toBe(1);
  });
});
