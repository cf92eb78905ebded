import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { compileMapping } from './compile-mapping.ts';
import { renderMappingDocs } from './render-mapping-docs.ts';
import { referralUrl, sampleReferral } from './test-support.ts';

const committed = () => readFileSync(new URL('../../docs/mapping.md', import.meta.url), 'utf8');

describe('docs/mapping.md', () => {
  it('documents the default mapping exactly as the code defines it', () => {
    expect(committed(), 'stale: run `node src/mapping/render-mapping-docs.ts > docs/mapping.md`').toBe(
      renderMappingDocs(),
    );
  });

  it('shows an example configuration that loads and maps', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(committed())?.[1] ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'rc-mapping-docs-'));
    try {
      writeFileSync(join(dir, 'example.yaml'), yaml);
      const config = loadConfig({ file: join(dir, 'example.yaml'), env: {} });
      const { draft } = compileMapping(config.mapping).toLead(sampleReferral(), { referralUrl });
      expect(draft.extra).toEqual({ new_dealsize: 250000, Referral_Size__c: 'Large' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
