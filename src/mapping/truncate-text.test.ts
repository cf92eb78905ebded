import { describe, expect, it } from 'vitest';
import { truncateText } from './truncate-text.ts';

describe('truncateText', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateText('abc', 3)).toBe('abc');
  });

  it('cuts to the limit', () => {
    expect(truncateText('abcdef', 4)).toBe('abcd');
  });

  it('ends with an ellipsis within the limit when asked', () => {
    expect(truncateText('abcdef', 4, { ellipsis: true })).toBe('abc…');
  });

  it('never splits a surrogate pair', () => {
    expect(truncateText('ab😀cd', 3)).toBe('ab');
  });

  it('does not end on a space left by the cut', () => {
    expect(truncateText('ab cd', 3)).toBe('ab');
  });
});
