/**
 * The console's sessions and sign-ins in flight, kept in this process: the cookie carries only a random
 * id (encrypted and signed by @fastify/secure-session), so signing out destroys the session for good —
 * a copied cookie is worth nothing afterwards. A session ends after `idleMs` without a request or
 * `maxMs` after sign-in; a restart signs everyone out.
 */
import { randomBytes } from 'node:crypto';

export type ConsoleUser = {
  /** What the pages show: the UPN (Microsoft) or "token". */
  name: string;
  via: 'token' | 'microsoft';
  /** Entra object id (Microsoft sign-in). */
  objectId?: string;
};

export type ConsoleSession = { id: string; user: ConsoleUser; createdAt: number; lastSeenAt: number };

/** What a Microsoft sign-in must find again at its callback (spec A9): single use, about 10 minutes. */
export type PendingSignIn = {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: number;
};

export type SessionRegistry = {
  /** A new session with a fresh id (never the pre-auth one: fixation). */
  open(user: ConsoleUser): ConsoleSession;
  /** The live session of that id, its idle clock restarted; undefined when unknown or expired. */
  touch(id: string | undefined): ConsoleSession | undefined;
  close(id: string | undefined): void;
  /** Keeps a sign-in transaction; returns its key for the pre-auth cookie. */
  holdSignIn(pending: Omit<PendingSignIn, 'expiresAt'>): string;
  /** Takes (and forgets) the transaction of that key, if it is still valid. */
  takeSignIn(key: string | undefined): PendingSignIn | undefined;
};

const SIGN_IN_MS = 10 * 60_000;

export function createSessionRegistry(options: {
  idleMs: number;
  maxMs: number;
  now?: () => number;
}): SessionRegistry {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, ConsoleSession>();
  const signIns = new Map<string, PendingSignIn>();
  const newId = () => randomBytes(24).toString('base64url');
  const expired = (session: ConsoleSession, at: number) =>
    at - session.lastSeenAt >= options.idleMs || at - session.createdAt >= options.maxMs;
  const sweep = (at: number) => {
    for (const [id, session] of sessions) if (expired(session, at)) sessions.delete(id);
    for (const [key, pending] of signIns) if (pending.expiresAt <= at) signIns.delete(key);
  };

  return {
    open(user) {
      const at = now();
      sweep(at);
      const session = { id: newId(), user, createdAt: at, lastSeenAt: at };
      sessions.set(session.id, session);
      return session;
    },
    touch(id) {
      if (id === undefined) return undefined;
      const session = sessions.get(id);
      if (!session) return undefined;
      const at = now();
      if (expired(session, at)) {
        sessions.delete(id);
        return undefined;
      }
      session.lastSeenAt = at;
      return session;
    },
    close(id) {
      if (id !== undefined) sessions.delete(id);
    },
    holdSignIn(pending) {
      const at = now();
      sweep(at);
      const key = newId();
      signIns.set(key, { ...pending, expiresAt: at + SIGN_IN_MS });
      return key;
    },
    takeSignIn(key) {
      if (key === undefined) return undefined;
      const pending = signIns.get(key);
      signIns.delete(key);
      return pending && pending.expiresAt > now() ? pending : undefined;
    },
  };
}
