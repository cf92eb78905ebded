import type { Command } from 'commander';
import { createConnector } from '../connector.ts';
import { checkBeforeStart } from '../doctor/start-checks.ts';
import { createLogger } from '../observability/logger.ts';
import { boundUrl } from './bound-url.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';

export function registerServeCommand(program: Command): void {
  withConfigFlags(
    program.command('serve').description('receive Partner Center webhooks and sync referrals to the CRM'),
  )
    .option('--port <port>', 'port to listen on (instead of server.port)')
    .action(async (flags: ConfigFlags & { port?: string }) => {
      const config = configFromFlags(flags, flags.port ? { 'server.port': flags.port } : {});
      const logger = createLogger({ level: config.log.level });
      checkBeforeStart(config, logger);
      const connector = await createConnector(config, { logger });
      await connector.start();
      // The address bound, not start()'s friendlier name for it: 127.0.0.1 logged as localhost sends
      // the operator to a host name that may resolve to ::1, where nothing listens.
      const url = boundUrl(connector.app.server.address());
      const publicUrl = config.server.publicUrl?.replace(/\/$/, '');
      logger.info({ url, webhook: `${publicUrl ?? url}/webhooks/partner-center` }, 'serving');
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down: no new webhooks, finishing running syncs');
        await connector.stop(15_000);
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
