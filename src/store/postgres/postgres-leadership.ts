import type pg from 'pg';
import { createKeyedMutex } from '../keyed-mutex.ts';
import type { Leadership } from '../ports.ts';
import type { InstanceRegistry } from './instance-registry.ts';
import { guard } from './postgres-errors.ts';
import type { SessionConnection } from './session-connection.ts';

/**
 * Leadership by session advisory lock (`pg_try_advisory_lock`) on the instance's session connection:
 * held until released or until that session ends, which the server notices at once when the process
 * dies (and within ~25 s when its host vanishes, see ./session-connection.ts). Needs a session-pinned
 * connection: not through PgBouncer in transaction pooling mode.
 */
export function createPostgresLeadership(
  name: string,
  deps: { session: SessionConnection; registry: InstanceRegistry; lockNamespace: string },
): Leadership {
  const key = `${deps.lockNamespace}:leader:${name}`;
  // The session the lock was taken on: a new session (after a drop) holds nothing.
  let heldOn: pg.Client | undefined;
  // One call at a time: session locks stack, so two overlapping acquires would take it twice.
  const serial = createKeyedMutex();
  deps.session.onLost(() => {
    if (heldOn) {
      heldOn = undefined;
      void deps.registry.noteLeading(name, false);
    }
  });

  return {
    acquire() {
      return serial.run(name, () =>
        guard(async () => {
          await deps.registry.ensureRegistered();
          const client = await deps.session.client();
          if (heldOn === client) {
            // Still our session, so still our lock: session locks end only with the session or an unlock.
            await client.query('SELECT 1');
            return true;
          }
          heldOn = undefined;
          const { rows } = await client.query(
            'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
            [key],
          );
          if (rows[0]?.locked !== true) return false;
          heldOn = client;
          await deps.registry.noteLeading(name, true);
          return true;
        }),
      );
    },
    release() {
      return serial.run(name, async () => {
        const client = heldOn;
        if (!client) return;
        heldOn = undefined;
        await deps.registry.noteLeading(name, false);
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => {});
      });
    },
  };
}
