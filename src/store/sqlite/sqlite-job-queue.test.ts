import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describeJobQueueContract } from '../../../test/contract/job-queue.contract.ts';
import { createSqliteBackend } from './create-sqlite-backend.ts';

describeJobQueueContract('sqlite', async (options) => {
  const directory = mkdtempSync(join(tmpdir(), 'job-queue-'));
  const path = join(directory, 'connector.db');
  const backend = createSqliteBackend({ path, ...options });
  return {
    ...backend,
    async breakJobWrites() {
      // A second connection, as another process would: the fault lives in the database, not in our code.
      const saboteur = new DatabaseSync(path);
      saboteur.exec(`
        CREATE TRIGGER refuse_job_insert BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'jobs refused'); END;
        CREATE TRIGGER refuse_job_update BEFORE UPDATE ON jobs BEGIN SELECT RAISE(ABORT, 'jobs refused'); END;`);
      saboteur.close();
    },
    async close() {
      await backend.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
