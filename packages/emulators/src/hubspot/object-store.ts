/**
 * The portal's CRM records: one table per object type, an index per unique property, and the search
 * index, which sees each write only from the time it is indexed (spec C4: fresh writes appear after an
 * indexing lag). Records are immutable values; every write stores a new one.
 */
import type { Random } from '../shared/random.ts';
import { OBJECT_NAMES, type ObjectName } from './object-types.ts';

export type StoredObject = {
  readonly id: string;
  /** Values as HubSpot returns them: strings, only the properties that have one. */
  readonly properties: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly archived: boolean;
  readonly archivedAt?: number;
};

export type ObjectStore = {
  /** A new record id: numeric, increasing and with gaps, as HubSpot's are. */
  newId(type: ObjectName): string;
  get(type: ObjectName, id: string): StoredObject | undefined;
  /** Every record of the type, archived ones included, oldest first. */
  all(type: ObjectName): StoredObject[];
  /** Stores a new version of a record; search sees it from `searchableAt` on. */
  put(type: ObjectName, object: StoredObject, searchableAt: number): void;
  /** The live record holding `value` in a unique property, if any. */
  findUnique(type: ObjectName, property: string, value: string): StoredObject | undefined;
  /** Records as search sees them at `now`: each one's last version indexed by then, archived ones left out. */
  searchable(type: ObjectName, now: number): StoredObject[];
};

type Version = { at: number; object: StoredObject };

export function createObjectStore(options: {
  random: Random;
  isUnique: (type: ObjectName, property: string) => boolean;
}): ObjectStore {
  const tables = new Map<ObjectName, Map<string, StoredObject>>();
  const versions = new Map<ObjectName, Map<string, Version[]>>();
  const uniques = new Map<string, Map<string, string>>();
  const nextIds = new Map<ObjectName, number>();
  for (const type of OBJECT_NAMES) {
    tables.set(type, new Map());
    versions.set(type, new Map());
    nextIds.set(type, options.random.int(1, 9) * 10_000_000_000 + options.random.int(0, 999_999));
  }
  const table = (type: ObjectName) => tables.get(type) as Map<string, StoredObject>;
  const uniqueIndex = (type: ObjectName, property: string) => {
    const key = `${type}/${property}`;
    let index = uniques.get(key);
    if (!index) {
      index = new Map();
      uniques.set(key, index);
    }
    return index;
  };

  return {
    newId(type) {
      const id = nextIds.get(type) as number;
      nextIds.set(type, id + options.random.int(1, 37));
      return String(id);
    },
    get: (type, id) => table(type).get(id),
    all: (type) => [...table(type).values()],
    put(type, object, searchableAt) {
      const previous = table(type).get(object.id);
      for (const [property, value] of Object.entries(previous?.properties ?? {})) {
        if (!options.isUnique(type, property)) continue;
        const index = uniqueIndex(type, property);
        if (index.get(value) === object.id) index.delete(value);
      }
      if (!object.archived) {
        for (const [property, value] of Object.entries(object.properties)) {
          if (options.isUnique(type, property)) uniqueIndex(type, property).set(value, object.id);
        }
      }
      table(type).set(object.id, object);
      const history = versions.get(type) as Map<string, Version[]>;
      const list = history.get(object.id) ?? [];
      list.push({ at: searchableAt, object });
      history.set(object.id, list);
    },
    findUnique(type, property, value) {
      const id = uniques.get(`${type}/${property}`)?.get(value);
      const object = id === undefined ? undefined : table(type).get(id);
      return object && !object.archived ? object : undefined;
    },
    searchable(type, now) {
      const found: StoredObject[] = [];
      for (const list of (versions.get(type) as Map<string, Version[]>).values()) {
        let visible = -1;
        // The newest version indexed by now (a shorter lag set later can make a newer one visible first).
        list.forEach((version, index) => {
          if (version.at <= now) visible = index;
        });
        if (visible < 0) continue;
        // Versions older than the visible one can never be seen again.
        if (visible > 0) list.splice(0, visible);
        const object = (list[0] as Version).object;
        if (!object.archived) found.push(object);
      }
      return found;
    },
  };
}
