import { describe, expect, it } from 'vitest';
import { isSameInstant, toUtcInstant } from './utc-instant.ts';

describe('toUtcInstant', () => {
  it.each([
    ['2025-03-12T09:01:44.7654321+00:00', '2025-03-12T09:01:44.7654321Z'],
    ['2025-03-12T09:01:44.765432+00:00', '2025-03-12T09:01:44.7654320Z'],
    ['2025-03-12T09:01:44.76543219Z', '2025-03-12T09:01:44.7654321Z'],
    ['2025-03-12T09:01:44Z', '2025-03-12T09:01:44.0000000Z'],
    ['2025-03-12T09:01:44.5', '2025-03-12T09:01:44.5000000Z'],
    ['2025-03-12T11:01:44.1+0200', '2025-03-12T09:01:44.1000000Z'],
    ['2025-03-12t09:01:44.1z', '2025-03-12T09:01:44.1000000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(toUtcInstant(text)).toBe(instant);
  });

  it.each([['yesterday'], ['2025-13-45T99:00:00Z'], [''], [null], [undefined]])('is null for %s', (text) => {
    expect(toUtcInstant(text)).toBeNull();
  });
});

describe('isSameInstant', () => {
  it('tells apart two instants within one millisecond', () => {
    expect(isSameInstant('2026-11-22T10:00:01.1234568Z', '2026-11-22T10:00:01.1234567Z')).toBe(false);
    expect(isSameInstant('2026-11-22T10:00:01.1234567+00:00', '2026-11-22T10:00:01.1234567Z')).toBe(true);
  });

  it('compares instants, not their spelling: offsets and fraction lengths', () => {
    expect(isSameInstant('2026-11-22T12:00:00.0000001+02:00', '2026-11-22T10:00:00.0000001Z')).toBe(true);
    expect(isSameInstant('2026-11-22T10:00:00.12Z', '2026-11-22T10:00:00.1200000Z')).toBe(true);
    expect(isSameInstant('2026-11-22T12:00:00+02:00', '2026-11-22T10:00:00.0000001Z')).toBe(false);
  });

  it('is false when either side is unreadable', () => {
    expect(isSameInstant(null, '2026-11-22T10:00:00Z')).toBe(false);
    expect(isSameInstant('2026-11-22T10:00:00Z', 'soon')).toBe(false);
    expect(isSameInstant(null, null)).toBe(false);
  });
});
