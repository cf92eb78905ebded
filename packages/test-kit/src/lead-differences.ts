/**
 * Where a lead an emulated CRM holds differs from an expectation (`expectedDataverseLead`,
 * `expectedSalesforceLead`): one line per field, empty when they agree. Fields the expectation leaves out
 * are not compared; a field the CRM does not hold counts as null.
 */
export function leadDifferences(
  expected: Record<string, string | number | null>,
  lead: Record<string, unknown>,
): string[] {
  const differences: string[] = [];
  for (const [field, wanted] of Object.entries(expected)) {
    const actual = lead[field] ?? null;
    if (actual !== wanted)
      differences.push(`${field}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(wanted)}`);
  }
  return differences;
}
