/**
 * `emulate` and `demo` need the emulators, a package of their own that a partner's installation does not
 * include. Where they are installed (this repository) the commands are registered as usual; elsewhere each
 * says what to install instead of failing on a missing module. The specifiers are variables so that the
 * compiled package does not pull the emulators in.
 */
import type { Command } from 'commander';

type Register = (program: Command) => void;

const EMULATORS_PACKAGE = '@referral-connector/emulators';
const EMULATE_MODULE = `${EMULATORS_PACKAGE}/cli`;
const DEMO_MODULE = new URL('../../demo/demo-command.ts', import.meta.url).href;

export async function registerOptionalCommands(program: Command): Promise<void> {
  const emulate = await load<{ registerEmulateCommand: Register }>(EMULATE_MODULE);
  if (emulate) emulate.registerEmulateCommand(program);
  else
    unavailable(
      program,
      'emulate',
      `npm install ${EMULATORS_PACKAGE}, then run referral-connector-emulators`,
    );

  const demo = await load<{ registerDemoCommand: Register }>(DEMO_MODULE);
  if (demo) demo.registerDemoCommand(program);
  else unavailable(program, 'demo', 'clone the repository and run `npm install && npm run demo` there');
}

async function load<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw error;
  }
}

function unavailable(program: Command, name: string, fix: string): void {
  program
    .command(name)
    .description(`(needs the emulators: ${fix})`)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UnavailableCommandError(
        `\`${name}\` needs the emulators, which this installation lacks: ${fix}.`,
      );
    });
}

export class UnavailableCommandError extends Error {
  readonly code = 'command_unavailable';
}
