/**
 * The JSON Patch (RFC 6902) subset the Referrals API documents: `replace` and `add` only. Member names
 * in paths resolve case-insensitively against the document, like the API's property binding.
 */

export type PatchOperation = { op: 'add' | 'replace'; path: string[]; value: unknown };

export class JsonPatchError extends Error {
  override name = 'JsonPatchError';
}

/** Checks the shape of a patch body; throws `JsonPatchError` naming the first bad operation. */
export function parseJsonPatch(body: unknown): PatchOperation[] {
  if (!Array.isArray(body)) throw new JsonPatchError('The request body must be a JSON Patch array.');
  if (body.length === 0) throw new JsonPatchError('The JSON Patch document has no operations.');
  return body.map((entry, index) => {
    if (entry === null || typeof entry !== 'object') {
      throw new JsonPatchError(`Operation ${index} is not an object.`);
    }
    const { op, path } = entry as Record<string, unknown>;
    const opName = typeof op === 'string' ? op.toLowerCase() : '';
    if (opName !== 'add' && opName !== 'replace') {
      throw new JsonPatchError(
        `Operation ${index}: '${String(op)}' is not supported; only 'replace' and 'add' are.`,
      );
    }
    if (typeof path !== 'string' || !path.startsWith('/') || path === '/') {
      throw new JsonPatchError(`Operation ${index}: 'path' must be a JSON Pointer such as /details/notes.`);
    }
    if (!('value' in entry)) throw new JsonPatchError(`Operation ${index}: 'value' is required.`);
    const segments = path
      .slice(1)
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    return { op: opName, path: segments, value: (entry as { value: unknown }).value };
  });
}

/** Applies the operations to a deep copy of `document`; the original is left untouched. */
export function applyJsonPatch<T>(document: T, operations: readonly PatchOperation[]): T {
  const copy = structuredClone(document);
  for (const operation of operations) applyOne(copy, operation);
  return copy;
}

function applyOne(root: unknown, { op, path, value }: PatchOperation): void {
  const pointer = `/${path.join('/')}`;
  let parent: unknown = root;
  for (const segment of path.slice(0, -1)) {
    const next = child(parent, segment);
    if (next === undefined || next === null || typeof next !== 'object') {
      throw new JsonPatchError(`Path '${pointer}' does not exist in the referral.`);
    }
    parent = next;
  }
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : arrayIndex(last);
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (index === undefined || index > limit) {
      throw new JsonPatchError(`Path '${pointer}' is outside the array.`);
    }
    if (op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
    return;
  }
  if (parent === null || typeof parent !== 'object') {
    throw new JsonPatchError(`Path '${pointer}' does not exist in the referral.`);
  }
  const record = parent as Record<string, unknown>;
  const key = memberName(record, last);
  if (op === 'replace' && key === undefined) {
    throw new JsonPatchError(`Path '${pointer}' does not exist in the referral; use 'add'.`);
  }
  record[key ?? last] = value;
}

function child(parent: unknown, segment: string): unknown {
  if (Array.isArray(parent)) {
    const index = arrayIndex(segment);
    return index === undefined ? undefined : parent[index];
  }
  if (parent === null || typeof parent !== 'object') return undefined;
  const record = parent as Record<string, unknown>;
  const key = memberName(record, segment);
  return key === undefined ? undefined : record[key];
}

function memberName(record: Record<string, unknown>, segment: string): string | undefined {
  if (Object.hasOwn(record, segment)) return segment;
  const lower = segment.toLowerCase();
  return Object.keys(record).find((key) => key.toLowerCase() === lower);
}

function arrayIndex(segment: string): number | undefined {
  return /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : undefined;
}
