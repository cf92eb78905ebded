/** Entry of the emulators' own command: `emulate` is its only command, and the default. */
import { Command, CommanderError } from 'commander';
import { registerEmulateCommand } from './emulate-command.ts';

const program = new Command()
  .name('referral-connector-emulators')
  .description('Emulated Entra ID, Partner Center and Dataverse for local development and tests')
  .exitOverride();
registerEmulateCommand(program, { isDefault: true });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`referral-connector-emulators: ${(error as Error).message}\n`);
  process.exit(
    error instanceof TypeError || (error as { code?: string }).code === 'fault_spec_invalid' ? 2 : 1,
  );
}
