/**
 * A small bounded map whose entries expire: least recently used entries go first when full. Values are
 * usually promises, so concurrent requests for one key share one download.
 */
export type ExpiringCache<Value> = {
  get(key: string): Value | undefined;
  set(key: string, value: Value, expiresAt: number): void;
  /** Moves an entry's expiry (e.g. once its promise settles); no-op when the entry is gone. */
  expireAt(key: string, value: Value, expiresAt: number): void;
  readonly size: number;
};

export function createExpiringCache<Value>(options: {
  maxEntries: number;
  now: () => number;
}): ExpiringCache<Value> {
  const entries = new Map<string, { value: Value; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= options.now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, expiresAt) {
      entries.delete(key);
      entries.set(key, { value, expiresAt });
      for (const oldest of entries.keys()) {
        if (entries.size <= options.maxEntries) break;
        entries.delete(oldest);
      }
    },
    expireAt(key, value, expiresAt) {
      const entry = entries.get(key);
      if (entry && entry.value === value) entry.expiresAt = expiresAt;
    },
    get size() {
      return entries.size;
    },
  };
}
