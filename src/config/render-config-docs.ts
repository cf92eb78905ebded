/**
 * docs/configuration.md is rendered from the schema, so the reference can never disagree with the
 * code; a test fails when it is stale. Regenerate: `node src/config/render-config-docs.ts > docs/configuration.md`.
 */
import { CONFIG_KEYS } from './config-keys.ts';

export function renderConfigDocs(): string {
  const rows = CONFIG_KEYS.map((key) => {
    const fallback = key.defaultValue === undefined ? '—' : `\`${JSON.stringify(key.defaultValue)}\``;
    return `| \`${key.path}\` | \`${key.env}\` | ${fallback} | ${key.description.replaceAll('|', '\\|')} |`;
  });
  return [
    '# Configuration',
    '',
    'One YAML file (`--config FILE`, or `./referral-connector.yaml` when present), environment variables,',
    'and `--set key=value` flags, applied in that order over the defaults: `defaults < file < environment < flags`.',
    'Every key below can be set in each of those places; lists take comma-separated values in the environment.',
    'Defaults point at the real Microsoft endpoints; tenant, app and organization have no defaults.',
    'A bad configuration is refused with one error naming every bad key and how to set it.',
    'See [referral-connector.example.yaml](../referral-connector.example.yaml) for a starting point.',
    '',
    '| key | environment | default | what it is |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.main) process.stdout.write(renderConfigDocs());
