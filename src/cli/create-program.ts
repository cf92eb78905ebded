/** The connector's command line: every command, registered on one commander program. */
import { Command } from 'commander';
import { registerAuthCommand } from './auth-command.ts';
import { registerBackfillCommand } from './backfill-command.ts';
import { connectorVersion } from './connector-version.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { registerMappingCommand } from './mapping-command.ts';
import { registerOptionalCommands } from './optional-commands.ts';
import { registerReplayCommand } from './replay-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerStatusCommand } from './status-command.ts';
import { registerWebhooksCommand } from './webhooks-command.ts';

export async function createProgram(): Promise<Command> {
  const program = new Command()
    .name('referral-connector')
    .description('Keeps Microsoft Partner Center referrals and CRM leads in sync')
    .version(connectorVersion())
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerDoctorCommand(program);
  await registerOptionalCommands(program);
  registerWebhooksCommand(program);
  registerAuthCommand(program);
  registerStatusCommand(program);
  registerReplayCommand(program);
  registerBackfillCommand(program);
  registerMappingCommand(program);
  return program;
}
