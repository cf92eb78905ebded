/**
 * The stored lead rows. Invariants kept here, whoever writes: every write takes the next value of the
 * organization-wide row version (`versionnumber`, the ETag), stamps `modifiedon`, recomputes the derived
 * columns, and keeps the alternate key unique (rows whose key columns are all empty are not indexed;
 * values compare case-insensitively like the database collation). Deletions leave a tombstone so
 * change tracking can report them.
 */
import { DATAVERSE_CODES, DataverseError } from './dataverse-error.ts';
import type { ColumnValue, EntitySchema, Row } from './entity-schema.ts';
import { derivedLeadColumns } from './lead-schema.ts';
import type { KeyValue } from './odata-resource-path.ts';

export type LeadRecord = Row & {
  leadid: string;
  statecode: number;
  statuscode: number;
  versionnumber: number;
  createdon: string;
  modifiedon: string;
};

export type Tombstone = { leadid: string; version: number };

export type LeadTableSnapshot = { rows: Map<string, LeadRecord>; tombstones: Tombstone[]; version: number };

export type LeadTable = {
  get(id: string): LeadRecord | undefined;
  all(): LeadRecord[];
  findByKey(values: Record<string, KeyValue>): LeadRecord | undefined;
  /** `row` holds every column to set, including `leadid`, statecode and statuscode. */
  insert(row: Row): LeadRecord;
  update(id: string, changes: Row): LeadRecord;
  remove(id: string): boolean;
  currentVersion(): number;
  /** Rows written and rows deleted after `version` (deleted ones only if not present now). */
  changesSince(version: number): { changed: LeadRecord[]; deleted: string[] };
  snapshot(): LeadTableSnapshot;
  restore(snapshot: LeadTableSnapshot): void;
};

export function createLeadTable(options: {
  schema: EntitySchema;
  now: () => number;
  initialVersion: number;
}): LeadTable {
  const { schema } = options;
  let rows = new Map<string, LeadRecord>();
  let tombstones: Tombstone[] = [];
  let version = options.initialVersion;
  let keyIndex = new Map<string, string>();

  const timestamp = () => new Date(options.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const keyOf = (values: Record<string, ColumnValue | undefined>): string | undefined => {
    if (schema.alternateKey.length === 0) return undefined;
    const parts = schema.alternateKey.map((column) => values[column]);
    if (parts.every((p) => p === null || p === undefined || p === '')) return undefined;
    return JSON.stringify(parts.map((p) => (typeof p === 'string' ? p.toLowerCase() : (p ?? null))));
  };

  const rebuildIndex = () => {
    keyIndex = new Map();
    for (const row of rows.values()) {
      const key = keyOf(row);
      if (key) keyIndex.set(key, row.leadid);
    }
  };

  const assertKeyFree = (key: string | undefined, leadid: string) => {
    if (!key) return;
    const holder = keyIndex.get(key);
    if (holder && holder !== leadid) {
      const names = schema.alternateKey.join(', ');
      throw new DataverseError(
        412,
        DATAVERSE_CODES.duplicateAlternateKey,
        `A record that has the attribute values ${names} already exists. The entity key ${schema.alternateKey.join('_')}key requires that this set of attributes contains unique values. Select unique values and try again.`,
      );
    }
  };

  const finish = (row: Row): LeadRecord => {
    const derived = derivedLeadColumns(row);
    return {
      ...row,
      fullname: derived.fullname || null,
      address1_composite: derived.address1_composite || null,
    } as unknown as LeadRecord;
  };

  return {
    get: (id) => rows.get(id.toLowerCase()),
    all: () => [...rows.values()],
    findByKey(values) {
      const key = keyOf(values);
      const id = key ? keyIndex.get(key) : undefined;
      return id ? rows.get(id) : undefined;
    },
    insert(input) {
      const leadid = String(input.leadid).toLowerCase();
      if (rows.has(leadid)) {
        throw new DataverseError(
          412,
          DATAVERSE_CODES.duplicateRecord,
          'A record with matching key values already exists.',
        );
      }
      const empty = Object.fromEntries([...schema.columns.keys()].map((name) => [name, null]));
      const at = timestamp();
      version += 1;
      const row = finish({
        ...empty,
        ...input,
        leadid,
        versionnumber: version,
        createdon: at,
        modifiedon: at,
      });
      const key = keyOf(row);
      assertKeyFree(key, leadid);
      rows.set(leadid, row);
      if (key) keyIndex.set(key, leadid);
      return row;
    },
    update(id, changes) {
      const current = rows.get(id.toLowerCase());
      if (!current) throw new Error(`update of a missing lead ${id}`);
      const candidate = { ...current, ...changes };
      const key = keyOf(candidate);
      assertKeyFree(key, current.leadid);
      version += 1;
      const row = finish({
        ...candidate,
        leadid: current.leadid,
        versionnumber: version,
        modifiedon: timestamp(),
      });
      rows.set(current.leadid, row);
      const oldKey = keyOf(current);
      if (oldKey) keyIndex.delete(oldKey);
      if (key) keyIndex.set(key, current.leadid);
      return row;
    },
    remove(id) {
      const current = rows.get(id.toLowerCase());
      if (!current) return false;
      rows.delete(current.leadid);
      const key = keyOf(current);
      if (key) keyIndex.delete(key);
      version += 1;
      tombstones.push({ leadid: current.leadid, version });
      return true;
    },
    currentVersion: () => version,
    changesSince(since) {
      const changed = [...rows.values()]
        .filter((row) => row.versionnumber > since)
        .sort((a, b) => a.versionnumber - b.versionnumber);
      const deleted = [
        ...new Set(tombstones.filter((t) => t.version > since && !rows.has(t.leadid)).map((t) => t.leadid)),
      ];
      return { changed, deleted };
    },
    snapshot: () => ({
      rows: new Map([...rows].map(([id, row]) => [id, { ...row }])),
      tombstones: [...tombstones],
      version,
    }),
    restore(snapshot) {
      rows = new Map([...snapshot.rows].map(([id, row]) => [id, { ...row }]));
      tombstones = [...snapshot.tombstones];
      version = snapshot.version;
      rebuildIndex();
    },
  };
}
