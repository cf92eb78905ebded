import { envNameOf } from './config-keys.ts';

export type ConfigProblem = { path: string; problem: string };

/** One error listing every bad key, each with the way to fix it. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[], source: string) {
    super(
      [
        `Configuration is not valid (${source}):`,
        ...problems.map(
          ({ path, problem }) =>
            `  - ${path}: ${problem} (set \`${path}\` in the config file or ${envNameOf(path)})`,
        ),
      ].join('\n'),
    );
    this.problems = problems;
  }
}
