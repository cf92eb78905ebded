/**
 * `emulate` and `demo` need the emulators, a package of their own (`@referral-connector/emulators`) that
 * the connector does not depend on: installed beside it (this repository, or both packed tarballs) they
 * work; elsewhere each says what to install instead of failing on a missing module.
 *
 * Both are always registered, as placeholders that load their module only when they run: loading the
 * emulators and the demo costs every other command time and memory for nothing. The placeholder takes
 * the arguments as they came (its own `--help` included) and hands them to the real command, which the
 * module registers on a program of its own. The specifiers are variables so that the compiled package
 * does not pull the emulators in.
 */
import { Command } from 'commander';

type Register = (program: Command) => void;

export type OptionalCommand = {
  name: string;
  /** What `referral-connector --help` lists; the loaded command describes itself in full. */
  summary: string;
  /** The function that registers the real command; undefined when the emulators are not installed. */
  load(): Promise<Register | undefined>;
};

const EMULATORS_PACKAGE = '@referral-connector/emulators';
// The sources run from src/cli/, the published package from dist/src/cli/; demo/ is two levels up from
// both, compiled like the file that imports it.
const DEMO_MODULE = new URL(
  `../../demo/demo-command.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
).href;

export const OPTIONAL_COMMANDS: readonly OptionalCommand[] = [
  {
    name: 'emulate',
    summary:
      'start the Entra ID, Partner Center and Dataverse emulators and print their URLs as one JSON line',
    load: async () =>
      (await loadUnlessMissing<{ registerEmulateCommand: Register }>(`${EMULATORS_PACKAGE}/cli`))
        ?.registerEmulateCommand,
  },
  {
    name: 'demo',
    summary: 'run emulated Partner Center, Entra ID and Dataverse with a real connector, and sync referrals',
    // The demo driver ships with the connector; it is the emulators it imports that may be missing.
    load: async () =>
      (await loadUnlessMissing<{ registerDemoCommand: Register }>(DEMO_MODULE))?.registerDemoCommand,
  },
];

// Async for its callers' sake only: it used to load the modules before registering them.
export async function registerOptionalCommands(program: Command): Promise<void> {
  for (const command of OPTIONAL_COMMANDS) registerPlaceholder(program, command);
}

function registerPlaceholder(program: Command, command: OptionalCommand): void {
  program
    .command(command.name)
    .description(command.summary)
    .usage('[options]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', `\nIts options: ${program.name()} ${command.name} --help`)
    .action(async (_flags: unknown, placeholder: Command) => {
      const register = await command.load();
      if (!register)
        throw new UnavailableCommandError(
          `\`${command.name}\` needs the emulators, which this installation lacks: install ${EMULATORS_PACKAGE} ` +
            `beside ${program.name()} (npm install ${EMULATORS_PACKAGE}, or the referral-connector-emulators ` +
            'tarball packed with this version), then run it again.',
        );
      const real = new Command().name(program.name()).showHelpAfterError().exitOverride();
      register(real);
      await real.parseAsync([command.name, ...placeholder.args], { from: 'user' });
    });
}

/** The module, or undefined when it or the emulators package it imports is not installed. */
async function loadUnlessMissing<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === 'ERR_MODULE_NOT_FOUND' && message?.includes(`'${EMULATORS_PACKAGE}`)) return undefined;
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' && message?.includes(EMULATORS_PACKAGE)) return undefined;
    throw error;
  }
}

export class UnavailableCommandError extends Error {
  readonly code = 'command_unavailable';
}
