/**
 * JSON Merge Patch (RFC 7396) as the control API uses it for Microsoft-side edits: objects merge
 * member by member, anything else (arrays included) replaces, and `null` sets the field to null
 * rather than deleting it, because referral fields are always present.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const base: Record<string, unknown> = isPlainObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    base[key] = value === null ? null : mergePatch(base[key], value);
  }
  return base;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
