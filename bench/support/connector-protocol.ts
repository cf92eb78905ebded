/** Messages between the harness and `connector-process.ts`. */

export type ConnectorProcessOptions = {
  /** Configuration keys, as `--set key=value` would give them. */
  overrides: Record<string, unknown>;
  /** Device-code sign-in before starting (the data dir has no Partner Center login yet). */
  login: boolean;
  workers: boolean;
  /** Register `<url>/webhooks/partner-center` for the referral events once listening. */
  registerWebhook: boolean;
  /** Register this URL instead: a load balancer in front of several instances. */
  webhookUrl?: string;
};

/** One settled sync job, as the harness needs it. Times are ms since the epoch (Date.now). */
export type SettledWire = {
  referralId: string;
  outcome: 'synced' | 'retry' | 'dead_letter';
  code?: string;
  lead?: 'created' | 'updated' | 'unchanged' | 'closed' | 'skipped';
  leadWrittenAt?: number;
  firstEnqueuedAt: number;
};

export type ConnectorStats = {
  rssBytes: number;
  /** High-water mark of the resident set since the process started. */
  maxRssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory V8 does not manage but knows of (C++ objects tied to JS, buffers); includes arrayBuffers. */
  externalBytes: number;
  arrayBuffersBytes: number;
  queue: { pending: number; due: number; running: number; dead: number };
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Statements sent to PostgreSQL since the process started (0 on SQLite). */
  postgresStatements: number;
  /** The same, by the statement's first 60 characters. */
  postgresStatementsByText: Record<string, number>;
};

export type ToConnector = { type: 'stats' } | { type: 'stop' };

export type FromConnector =
  | {
      type: 'ready';
      url: string;
      /** ms since the process started (performance.timeOrigin) at each step. */
      phases: {
        configured: number;
        created: number;
        loggedIn: number;
        listening: number;
        registered: number;
      };
    }
  | { type: 'settled'; events: SettledWire[] }
  | { type: 'stats'; stats: ConnectorStats }
  | { type: 'stopped'; stats: ConnectorStats }
  | { type: 'failed'; message: string };

export const CONNECTOR_OPTIONS_ENV = 'BENCH_CONNECTOR_OPTIONS';
