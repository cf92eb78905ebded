import { describe, expect, it } from 'vitest';
import { toCountryAlpha2 } from './country-code.ts';

describe('toCountryAlpha2', () => {
  it.each([
    ['US', 'US'],
    ['us', 'US'],
    [' ar ', 'AR'],
    ['USA', 'US'],
    ['deu', 'DE'],
    ['United States of America', 'US'],
    ['the netherlands', 'NL'],
    ['Holland', 'NL'],
    ['TURKEY', 'TR'],
    ['Turkiye', 'TR'],
    ['Österreich', 'AT'],
    ['U.S.A.', 'US'],
    ['UK', 'GB'],
    ['Korea, Republic of', 'KR'],
  ])('maps %s to %s', (raw, alpha2) => {
    expect(toCountryAlpha2(raw)).toEqual({ alpha2 });
  });

  it.each([null, undefined, '', '   '])('treats %s as no country, without a reason', (raw) => {
    expect(toCountryAlpha2(raw)).toEqual({ alpha2: null, reason: null });
  });

  it.each(['Atlantis', 'XYZ', 'U S', 'Korea'])('does not guess %s', (raw) => {
    const result = toCountryAlpha2(raw);

    expect(result.alpha2).toBeNull();
    expect(result.reason).toContain(raw);
  });
});
