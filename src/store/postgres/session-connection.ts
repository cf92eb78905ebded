import pg from 'pg';
import { StoreUnavailableError } from '../store-errors.ts';

/**
 * The one connection of an instance that is not pooled: it LISTENs for other instances' notifications
 * and holds the session advisory locks of its leaderships. Both live exactly as long as the server
 * session does, so when it drops, the instance has stopped listening and lost every lead at once.
 * Connected on first use (CLI commands never use it) and again after a drop.
 */
export type SessionConnection = {
  /** The connected, listening client; connects first when needed. */
  client(): Promise<pg.Client>;
  /** Connected and listening now. */
  readonly connected: boolean;
  /** Called when a connected session ends: its locks are gone, notifications may have been missed. */
  onLost(listener: () => void): void;
  close(): Promise<void>;
};

export type SessionConnectionOptions = {
  config: pg.ClientConfig;
  channel: string;
  onNotification(payload: string): void;
};

// The server closes a session whose client vanished without a word (a partition, a powered-off host)
// after ~10 + 3 × 5 s instead of the OS default of hours, so a dead leader's locks are freed.
const SERVER_KEEPALIVE = [
  'SET tcp_keepalives_idle = 10',
  'SET tcp_keepalives_interval = 5',
  'SET tcp_keepalives_count = 3',
];

export function createSessionConnection(options: SessionConnectionOptions): SessionConnection {
  let current: Promise<pg.Client> | undefined;
  let connectedClient: pg.Client | undefined;
  let closed = false;
  const lostListeners: Array<() => void> = [];

  function connect(): Promise<pg.Client> {
    const client = new pg.Client({ ...options.config, keepAlive: true });
    client.on('notification', (message) => {
      if (message.channel === options.channel) options.onNotification(message.payload ?? '');
    });
    const attempt = (async () => {
      await client.connect();
      await client.query(`${SERVER_KEEPALIVE.join('; ')}; LISTEN ${pg.escapeIdentifier(options.channel)}`);
      return client;
    })();
    const dropped = () => {
      if (current !== attempt) return;
      current = undefined;
      const wasConnected = connectedClient === client;
      connectedClient = undefined;
      client.end().catch(() => {});
      if (wasConnected) for (const listener of lostListeners) listener();
    };
    client.on('error', dropped);
    client.on('end', dropped);
    current = attempt;
    attempt.then(
      () => {
        if (current === attempt) connectedClient = client;
      },
      () => dropped(),
    );
    return attempt;
  }

  return {
    async client() {
      if (closed) throw new StoreUnavailableError('closed');
      return current ?? connect();
    },
    get connected() {
      return connectedClient !== undefined;
    },
    onLost(listener) {
      lostListeners.push(listener);
    },
    async close() {
      closed = true;
      const pending = current;
      current = undefined;
      connectedClient = undefined;
      if (!pending) return;
      const client = await pending.catch(() => undefined);
      await client?.end().catch(() => {});
    },
  };
}
