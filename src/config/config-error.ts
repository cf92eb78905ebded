import { envNameOf, findKey } from './config-keys.ts';

/**
 * One thing wrong with the configuration. `path` is the key (or section, or file) it is about; `fix`
 * says what to do, and defaults, for a configuration key, to where it can be set.
 */
export type ConfigProblem = { path: string; problem: string; fix?: string };

/** One error listing every bad key, each with the way to fix it. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[], source: string) {
    super(
      [
        `Configuration is not valid (${source}):`,
        ...problems.map(({ path, problem, fix = whereToSet(path) }) =>
          fix ? `  - ${path}: ${problem} (${fix})` : `  - ${path}: ${problem}`,
        ),
      ].join('\n'),
    );
    this.problems = problems;
  }
}

/** Only a key that exists can be set; for anything else the hint would send the reader nowhere. */
function whereToSet(path: string): string | undefined {
  return findKey(path) ? `set \`${path}\` in the config file or ${envNameOf(path)}` : undefined;
}
