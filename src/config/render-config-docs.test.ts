import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from './render-config-docs.ts';

describe('docs/configuration.md', () => {
  it('lists every configuration key exactly as the schema defines it', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed, 'stale: run `node src/config/render-config-docs.ts > docs/configuration.md`').toBe(
      renderConfigDocs(),
    );
  });
});
