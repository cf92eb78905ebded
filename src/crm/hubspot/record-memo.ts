/**
 * What this process learnt about the records it wrote: the record of a referral and the contact it was
 * last associated with. Only a hint of which call to try first — an update of a known record, a create
 * otherwise — never the key: a record deleted meanwhile is created again, one created by another process
 * is found by its 409. Bounded: the oldest entries give way.
 */
import type { ReferralKey } from '../../core/index.ts';

export type MemoEntry = { recordId: string; contactId?: string | undefined };

export type RecordMemo = {
  get(key: ReferralKey): MemoEntry | undefined;
  remember(key: ReferralKey, entry: MemoEntry): void;
  forget(key: ReferralKey): void;
};

export function createRecordMemo(limit = 10_000): RecordMemo {
  const entries = new Map<ReferralKey, MemoEntry>();
  return {
    get: (key) => entries.get(key),
    remember(key, entry) {
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > limit) entries.delete(entries.keys().next().value as ReferralKey);
    },
    forget: (key) => void entries.delete(key),
  };
}
