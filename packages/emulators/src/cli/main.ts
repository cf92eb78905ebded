/** Entry of the emulators' own command: `emulate` is its only command, and the default. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerEmulateCommand } from './emulate-command.ts';

/** Errors of a bad flag value: the command line needs fixing, not the program (exit code 2). */
const USAGE_ERROR_CODES = new Set(['fault_spec_invalid', 'dataverse_limits_invalid']);

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command()
  .name('referral-connector-emulators')
  .description('Emulated Entra ID, Partner Center and Dataverse for local development and tests')
  .version(version)
  .exitOverride();
registerEmulateCommand(program, { isDefault: true });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`referral-connector-emulators: ${(error as Error).message}\n`);
  process.exit(
    error instanceof TypeError || USAGE_ERROR_CODES.has(String((error as { code?: unknown }).code)) ? 2 : 1,
  );
}
