/**
 * The job-queue contract on PostgreSQL. The contract moves time with an injected clock; PostgreSQL reads
 * its own clock (`connector_now()`, so instances on different hosts agree), so here the test clock
 * drives the database's: before each call the schema's clock is set to the test's time. Everything the
 * contract checks, it checks to the millisecond. Real time (heartbeats, failover, LISTEN/NOTIFY) is
 * covered by src/store/postgres/multi-instance.test.ts.
 */
import {
  driveDatabaseClock,
  drivenBy,
  dropSchemas,
  openTestBackend,
  runSql,
} from '../../src/store/postgres/test-support.ts';
import { describePostgres, requirePostgres } from '../support/postgres.ts';
import { describeJobQueueContract } from './job-queue.contract.ts';

const postgres = await requirePostgres();

describePostgres(postgres, 'PostgreSQL', () => {
  describeJobQueueContract(
    'postgres',
    async ({ clock, ...options }) => {
      // Idle workers re-check at least every 2 s, as with SQLite: the drain test's workers stop on such a check.
      const backend = await openTestBackend({ ...options, listeningIdleMs: 2_000 });
      const sync = await driveDatabaseClock(backend.schema, clock);
      return {
        ...backend,
        store: drivenBy(backend.store, sync),
        queue: drivenBy(backend.queue, sync),
        async breakJobWrites() {
          // Another session, as another process would: the fault lives in the database, not in our code.
          await runSql(`
          CREATE FUNCTION ${backend.schema}.refuse_job_write() RETURNS trigger LANGUAGE plpgsql
            AS $$ BEGIN RAISE EXCEPTION 'jobs refused'; END $$;
          CREATE TRIGGER refuse_job_write BEFORE INSERT OR UPDATE ON ${backend.schema}.jobs
            FOR EACH ROW EXECUTE FUNCTION ${backend.schema}.refuse_job_write();`);
        },
        async close() {
          await backend.close();
          await dropSchemas([backend.schema]);
        },
      };
    },
    // A few round trips to the server on this host; far below the 2 s idle wait.
    { roundTripMs: 250 },
  );
});
