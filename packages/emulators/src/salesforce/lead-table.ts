/**
 * The stored leads. Invariants kept here, whoever writes (API, seller, conversion): every write stamps
 * `LastModifiedDate`/`SystemModstamp` (to the second, as Salesforce stores them) and the writer; unique
 * fields stay unique among live records (case-sensitively only where the field says so); a delete moves
 * the record to the recycle bin (`IsDeleted`), where `queryAll` and `/deleted` still see it.
 * Datetime fields are held as epoch milliseconds and rendered by lead-record.ts.
 */
import { salesforceErrors } from './salesforce-error.ts';
import { truncateToSecond } from './salesforce-time.ts';
import type { FieldDef } from './sobject-type.ts';

export type FieldValue = string | number | boolean | null;
export type StoredLead = Record<string, FieldValue> & {
  Id: string;
  IsDeleted: boolean;
  IsConverted: boolean;
  Status: string;
  CreatedDate: number;
  LastModifiedDate: number;
  SystemModstamp: number;
};

export type LeadTable = {
  /** A live (not deleted) lead. */
  get(id: string): StoredLead | undefined;
  /** A lead, live or in the recycle bin. */
  getAny(id: string): StoredLead | undefined;
  all(options?: { includeDeleted?: boolean }): StoredLead[];
  /** Live leads whose `field` holds `value` (exactly for unique case-sensitive fields, else ignoring case). */
  findBy(field: FieldDef, value: string): StoredLead[];
  /** `row` holds every field to store except the system stamps. */
  insert(row: Record<string, FieldValue>, writerId: string): StoredLead;
  update(id: string, changes: Record<string, FieldValue>, writerId: string): StoredLead;
  remove(id: string, writerId: string): boolean;
  /** When each deleted lead was deleted. */
  deletedAt(id: string): number | undefined;
};

export function createLeadTable(options: {
  indexedFields: readonly FieldDef[];
  now: () => number;
}): LeadTable {
  const rows = new Map<string, StoredLead>();
  const deletedAt = new Map<string, number>();
  /** Live leads by field and value, for unique and external-id fields. */
  const indexes = new Map(options.indexedFields.map((field) => [field.name, new Map<string, Set<string>>()]));
  const fieldsByName = new Map(options.indexedFields.map((field) => [field.name, field]));

  // Unique case-sensitive fields match exactly; every other index ignores case, like the database's.
  const keyOf = (field: FieldDef, value: FieldValue | undefined): string | undefined => {
    if (value === null || value === undefined || value === '') return undefined;
    return field.unique && field.caseSensitive ? String(value) : String(value).toLowerCase();
  };

  const holders = (field: FieldDef, value: FieldValue | undefined): Set<string> | undefined => {
    const key = keyOf(field, value);
    return key === undefined ? undefined : indexes.get(field.name)?.get(key);
  };

  const index = (row: StoredLead, add: boolean) => {
    for (const [name, entries] of indexes) {
      const field = fieldsByName.get(name);
      const key = field ? keyOf(field, row[name]) : undefined;
      if (key === undefined) continue;
      const ids = entries.get(key) ?? new Set<string>();
      if (add) ids.add(row.Id);
      else ids.delete(row.Id);
      if (ids.size > 0) entries.set(key, ids);
      else entries.delete(key);
    }
  };

  const assertUnique = (candidate: Record<string, FieldValue>, selfId: string | undefined) => {
    for (const field of options.indexedFields) {
      if (!field.unique) continue;
      for (const holder of holders(field, candidate[field.name]) ?? []) {
        if (holder !== selfId) throw salesforceErrors.duplicateValue(field.name, holder);
      }
    }
  };

  const stamp = () => truncateToSecond(options.now());

  return {
    get(id) {
      const row = rows.get(id);
      return row && !row.IsDeleted ? row : undefined;
    },
    getAny: (id) => rows.get(id),
    all: (filter = {}) => [...rows.values()].filter((row) => filter.includeDeleted || !row.IsDeleted),
    findBy(field, value) {
      const ids = holders(field, value);
      if (indexes.has(field.name)) return [...(ids ?? [])].flatMap((id) => rows.get(id) ?? []);
      return [...rows.values()].filter(
        (row) => !row.IsDeleted && keyOf(field, row[field.name]) === keyOf(field, value),
      );
    },
    insert(row, writerId) {
      const id = String(row.Id);
      if (rows.has(id)) throw new Error(`insert of an existing lead ${id}`);
      assertUnique(row, undefined);
      const at = stamp();
      const stored = {
        ...row,
        Id: id,
        IsDeleted: false,
        CreatedDate: at,
        CreatedById: writerId,
        LastModifiedDate: at,
        LastModifiedById: writerId,
        SystemModstamp: at,
      } as unknown as StoredLead;
      rows.set(id, stored);
      index(stored, true);
      return stored;
    },
    update(id, changes, writerId) {
      const current = rows.get(id);
      if (!current || current.IsDeleted) throw new Error(`update of a missing lead ${id}`);
      assertUnique({ ...current, ...changes }, id);
      const at = stamp();
      const stored = {
        ...current,
        ...changes,
        Id: id,
        LastModifiedDate: at,
        LastModifiedById: writerId,
        SystemModstamp: at,
      } as StoredLead;
      index(current, false);
      rows.set(id, stored);
      index(stored, true);
      return stored;
    },
    remove(id, writerId) {
      const current = rows.get(id);
      if (!current || current.IsDeleted) return false;
      const at = stamp();
      index(current, false);
      rows.set(id, { ...current, IsDeleted: true, LastModifiedById: writerId, SystemModstamp: at });
      deletedAt.set(id, at);
      return true;
    },
    deletedAt: (id) => deletedAt.get(id),
  };
}
