/**
 * Associations between records (spec C6–C8): HubSpot-defined association types with their ids, labels
 * and reverse types, and the associations themselves, always stored in both directions. A "Primary"
 * type is held by one target at a time: associating a new primary replaces the old one.
 */
import type { ObjectName } from './object-types.ts';

export type AssociationType = {
  from: ObjectName;
  to: ObjectName;
  typeId: number;
  /** `null` for the unlabelled (default) type. */
  label: string | null;
  reverseTypeId: number;
};

type Pair = [from: ObjectName, to: ObjectName, typeId: number, label: string | null, reverse: number];

// Ids from spec C6–C8: contact↔company 279/280 and primary 1/2, deal↔contact 3/4, deal↔company 341/342
// and primary 5/6, lead→contact primary 578 and lead→company 580 (primary) / 610. Our choices [U]:
// contact→lead 579, the unlabelled lead→contact 608 / contact→lead 609, company→lead 581 / 611.
const PAIRS: readonly Pair[] = [
  ['contacts', 'companies', 279, null, 280],
  ['contacts', 'companies', 1, 'Primary', 2],
  ['deals', 'contacts', 3, null, 4],
  ['deals', 'companies', 341, null, 342],
  ['deals', 'companies', 5, 'Primary', 6],
  ['leads', 'contacts', 608, null, 609],
  ['leads', 'contacts', 578, 'Primary', 579],
  ['leads', 'companies', 610, null, 611],
  ['leads', 'companies', 580, 'Primary', 581],
];

export const ASSOCIATION_TYPES: readonly AssociationType[] = PAIRS.flatMap(
  ([from, to, typeId, label, reverse]) => [
    { from, to, typeId, label, reverseTypeId: reverse },
    { from: to, to: from, typeId: reverse, label, reverseTypeId: typeId },
  ],
);

export type ObjectRef = { type: ObjectName; id: string };
export type Association = { toId: string; typeIds: number[] };

export type AssociationStore = {
  types(from: ObjectName, to: ObjectName): AssociationType[];
  /** A type id as seen from `from` (the target type follows from it). */
  type(from: ObjectName, typeId: number): AssociationType | undefined;
  /** The unlabelled type, what `associations/default` creates. */
  defaultType(from: ObjectName, to: ObjectName): AssociationType | undefined;
  /** Adds the types (and their reverses); returns the types that were new. */
  add(from: ObjectRef, to: ObjectRef, typeIds: readonly number[]): AssociationType[];
  /** Removes every type between two records, both directions; false when there was none. */
  remove(from: ObjectRef, to: ObjectRef): boolean;
  /** The associations of a record to live records of a type (archived ones drop out, as in HubSpot). */
  list(from: ObjectRef, toType: ObjectName): Association[];
};

export function createAssociationStore(options: { isLive: (ref: ObjectRef) => boolean }): AssociationStore {
  // from "type/id" → to "type/id" → type ids
  const links = new Map<string, Map<string, Set<number>>>();
  const key = (ref: ObjectRef) => `${ref.type}/${ref.id}`;
  const typeOf = (from: ObjectName, typeId: number) =>
    ASSOCIATION_TYPES.find((t) => t.from === from && t.typeId === typeId);
  const targets = (ref: ObjectRef) => {
    let map = links.get(key(ref));
    if (!map) {
      map = new Map();
      links.set(key(ref), map);
    }
    return map;
  };
  const link = (from: ObjectRef, to: ObjectRef, typeId: number): boolean => {
    const map = targets(from);
    const set = map.get(key(to)) ?? new Set<number>();
    map.set(key(to), set);
    if (set.has(typeId)) return false;
    set.add(typeId);
    return true;
  };
  const unlink = (from: ObjectRef, to: ObjectRef, typeId: number) => {
    const map = links.get(key(from));
    const set = map?.get(key(to));
    set?.delete(typeId);
    if (set && set.size === 0) map?.delete(key(to));
  };

  return {
    types: (from, to) => ASSOCIATION_TYPES.filter((t) => t.from === from && t.to === to),
    type: typeOf,
    defaultType: (from, to) => ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && !t.label),
    add(from, to, typeIds) {
      const added: AssociationType[] = [];
      for (const typeId of typeIds) {
        const type = typeOf(from.type, typeId);
        if (!type || type.to !== to.type) throw new Error(`association type ${typeId} does not link these`);
        if (type.label === 'Primary') {
          // One primary target per record: the previous one keeps only its other types.
          for (const [target, set] of targets(from)) {
            if (target === key(to) || !set.has(typeId)) continue;
            const [, id = ''] = target.split('/');
            unlink(from, { type: to.type, id }, typeId);
            unlink({ type: to.type, id }, from, type.reverseTypeId);
          }
        }
        if (link(from, to, typeId)) added.push(type);
        link(to, from, type.reverseTypeId);
      }
      return added;
    },
    remove(from, to) {
      const set = links.get(key(from))?.get(key(to));
      if (!set || set.size === 0) return false;
      links.get(key(from))?.delete(key(to));
      links.get(key(to))?.delete(key(from));
      return true;
    },
    list(from, toType) {
      const found: Association[] = [];
      for (const [target, set] of links.get(key(from)) ?? []) {
        const [type, id = ''] = target.split('/');
        if (type === toType && set.size > 0 && options.isLive({ type: toType, id }))
          found.push({ toId: id, typeIds: [...set].sort((a, b) => a - b) });
      }
      return found;
    },
  };
}
