import { describe, expect, it } from 'vitest';
import { figureAt, judge, judgeAll, TARGETS } from './targets.ts';

describe('judging figures against targets', () => {
  const upper = { key: 'a.b', label: 'x', unit: 'ms', comparison: '<=' as const, threshold: 20 };
  const lower = { ...upper, comparison: '>=' as const, threshold: 0.4 };

  it('meets an upper bound at or below it and misses above it', () => {
    expect(judge(upper, 20).met).toBe(true);
    expect(judge(upper, 20.1).met).toBe(false);
  });

  it('meets a lower bound at or above it and misses below it', () => {
    expect(judge(lower, 0.4).met).toBe(true);
    expect(judge(lower, 0.39).met).toBe(false);
  });

  it('has no verdict for a figure that was not measured', () => {
    expect(judge(upper, null).met).toBeNull();
  });

  it('reads figures by dotted path and ignores what is not a number', () => {
    const results = { ingress: { p99Ms: 12.5, note: 'x' } };
    expect(figureAt(results, 'ingress.p99Ms')).toBe(12.5);
    expect(figureAt(results, 'ingress.note')).toBeNull();
    expect(figureAt(results, 'backlog.throttled')).toBeNull();
  });

  it('judges every key the issue asks for', () => {
    const keys = judgeAll({}).map((verdict) => verdict.key);
    for (const key of [
      'ingress.ratioToBare',
      'ingress.p99Ms',
      'e2e.p50Ms',
      'e2e.p99Ms',
      'callsPerReferral.new',
      'callsPerReferral.noopUpdate',
      'callsPerReferral.burst10Syncs',
      'backlog.limitFraction',
      'backlog.throttled',
      'footprint.readyMs',
      'footprint.idleRssMb',
      'footprint.peakRssMb',
      'scaleOut.ratio2',
      'scaleOut.ratio3',
      'scaleOut.failoverSeconds',
    ]) {
      expect(keys).toContain(key);
    }
    expect(keys).toHaveLength(TARGETS.length);
  });
});
