/**
 * Composition root of the CLI: one file per command in src/cli/, each thin over library calls.
 */
import { CommanderError } from 'commander';
import { createProgram } from './cli/create-program.ts';
import { ConfigError } from './config/config-error.ts';

const program = await createProgram();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (
    error instanceof ConfigError ||
    error instanceof TypeError ||
    (error as { code?: string }).code === 'fault_spec_invalid' ||
    (error as { code?: string }).code === 'dataverse_limits_invalid'
  ) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  // Errors with a stable code were anticipated and say what to do; anything else is a bug: show the stack.
  const code = (error as { code?: unknown }).code;
  process.stderr.write(
    typeof code === 'string'
      ? `referral-connector: ${(error as Error).message}\n`
      : `referral-connector: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
}
