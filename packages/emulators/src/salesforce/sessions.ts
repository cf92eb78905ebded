/**
 * Sessions: what an access token is in Salesforce (spec B1). The token is an opaque session id
 * `<15-character org id>!<secret>`, not a JWT; it stays valid while used, ends after the session
 * timeout of inactivity (default 2 hours, an org setting), and ends at once when revoked or when a fault
 * expires it. Any REST call with an ended or unknown session gets 401 `INVALID_SESSION_ID`.
 */
import type { IdFactory } from './salesforce-ids.ts';

export type Session = {
  token: string;
  userId: string;
  username: string;
  clientId: string;
  issuedAt: number;
  lastUsed: number;
};

export type Sessions = {
  issue(user: { id: string; username: string }, clientId: string): Session;
  /** The live session an `Authorization` header names (`Bearer` or `OAuth`), marking it used. */
  check(authorization: string | undefined): Session | undefined;
  end(token: string): void;
  /** Ends every session, as a password reset or "revoke all" would; returns how many ended. */
  endAll(): number;
  lifetimeMs(): number;
  setLifetimeMs(ms: number): void;
  active(): number;
};

export const DEFAULT_SESSION_LIFETIME_MS = 2 * 60 * 60_000;
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

export function createSessions(options: {
  orgId: string;
  ids: IdFactory;
  now: () => number;
  lifetimeMs?: number;
}): Sessions {
  let lifetime = options.lifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS;
  const sessions = new Map<string, Session>();
  const expired = (session: Session) => options.now() - session.lastUsed >= lifetime;

  return {
    issue(user, clientId) {
      for (const [token, session] of sessions) if (expired(session)) sessions.delete(token);
      const token = `${options.orgId.slice(0, 15)}!AQ${options.ids.text(94, SECRET_ALPHABET)}`;
      const now = options.now();
      const session = {
        token,
        userId: user.id,
        username: user.username,
        clientId,
        issuedAt: now,
        lastUsed: now,
      };
      sessions.set(token, session);
      return session;
    },
    check(authorization) {
      const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization?.trim() ?? '');
      const session = match?.[1] ? sessions.get(match[1]) : undefined;
      if (!session) return undefined;
      if (expired(session)) {
        sessions.delete(session.token);
        return undefined;
      }
      session.lastUsed = options.now();
      return session;
    },
    end: (token) => {
      sessions.delete(token);
    },
    endAll() {
      const count = sessions.size;
      sessions.clear();
      return count;
    },
    lifetimeMs: () => lifetime,
    setLifetimeMs(ms) {
      lifetime = ms;
    },
    active: () => [...sessions.values()].filter((session) => !expired(session)).length,
  };
}
