/**
 * The resource path of a Web API URL, after the service root: an entity set, an optional key predicate —
 * `leads(<guid>)` or alternate keys `leads(new_referralid='REF-1001')`, strings single-quoted with `'`
 * doubled, URL-encoded on the wire — and what follows (a bound action, `$count`…). Pure.
 */

export type KeyValue = string | number;

export type KeyPredicate =
  | { kind: 'id'; id: string }
  /** Alternate key values by column, in URL order. */
  | { kind: 'alternate'; values: Record<string, KeyValue> };

export type ResourcePath = {
  /** First segment, e.g. "leads", "WhoAmI", "$batch". */
  segment: string;
  key?: KeyPredicate;
  /** Empty parentheses after the segment, e.g. "WhoAmI()". */
  call?: boolean;
  /** Following segments, e.g. ["Microsoft.Dynamics.CRM.QualifyLead"]. */
  rest: string[];
};

export class ResourcePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourcePathError';
  }
}

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/** `encodedPath` is the raw (still percent-encoded) path relative to the service root, without query. */
export function parseResourcePath(encodedPath: string): ResourcePath {
  let path: string;
  try {
    path = decodeURIComponent(encodedPath.replace(/^\/+/, ''));
  } catch {
    throw new ResourcePathError(`The URL '${encodedPath}' is not validly percent-encoded.`);
  }
  const open = path.indexOf('(');
  const slash = path.indexOf('/');
  if (open === -1 || (slash !== -1 && slash < open)) {
    const [segment = '', ...rest] = path.split('/');
    return { segment, rest: rest.filter(Boolean) };
  }
  const segment = path.slice(0, open);
  const close = closingParen(path, open);
  const inner = path.slice(open + 1, close);
  const after = path.slice(close + 1);
  if (after !== '' && !after.startsWith('/'))
    throw new ResourcePathError(`Bad Request - Error in query syntax.`);
  const rest = after.split('/').filter(Boolean);
  if (inner.trim() === '') return { segment, call: true, rest };
  return { segment, key: parseKey(inner), rest };
}

function closingParen(path: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < path.length; i++) {
    const ch = path[i];
    if (ch === "'") {
      if (quoted && path[i + 1] === "'") {
        i += 1;
        continue;
      }
      quoted = !quoted;
    } else if (ch === ')' && !quoted) {
      return i;
    }
  }
  throw new ResourcePathError('Bad Request - Error in query syntax.');
}

function parseKey(inner: string): KeyPredicate {
  const bare = GUID.exec(inner.trim());
  if (bare?.[1]) return { kind: 'id', id: bare[1].toLowerCase() };
  const values: Record<string, KeyValue> = {};
  let i = 0;
  while (i < inner.length) {
    const eq = inner.indexOf('=', i);
    if (eq === -1) throw new ResourcePathError(`Bad Request - Error in query syntax.`);
    const name = inner.slice(i, eq).trim();
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new ResourcePathError(`Bad Request - Error in query syntax.`);
    let j = eq + 1;
    let value: KeyValue;
    if (inner[j] === "'") {
      let text = '';
      j += 1;
      for (;;) {
        if (j >= inner.length) throw new ResourcePathError('Bad Request - Error in query syntax.');
        if (inner[j] === "'") {
          if (inner[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          j += 1;
          break;
        }
        text += inner[j];
        j += 1;
      }
      value = text;
    } else {
      const end = inner.indexOf(',', j);
      const raw = inner.slice(j, end === -1 ? inner.length : end).trim();
      const guid = GUID.exec(raw);
      if (guid?.[1]) value = guid[1].toLowerCase();
      else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
      else throw new ResourcePathError(`Bad Request - Error in query syntax.`);
      j = end === -1 ? inner.length : end;
    }
    values[name] = value;
    while (inner[j] === ' ') j += 1;
    if (j < inner.length) {
      if (inner[j] !== ',') throw new ResourcePathError('Bad Request - Error in query syntax.');
      j += 1;
    }
    i = j;
  }
  return { kind: 'alternate', values };
}

/** The key segment as the service echoes it in `OData-EntityId`, e.g. `new_referralid='REF''1'`. */
export function formatKeyPredicate(values: Record<string, KeyValue>): string {
  return Object.entries(values)
    .map(
      ([name, value]) => `${name}=${typeof value === 'number' ? value : `'${value.replaceAll("'", "''")}'`}`,
    )
    .join(',');
}
