/**
 * The demo's closing figures, computed from what the emulators ended up holding (pure): the truth is
 * in Dataverse and Partner Center, not in the connector's own bookkeeping.
 */
export type SummaryInput = {
  referrals: ReadonlyArray<{ id: string; externalReferenceId?: string | null }>;
  leads: ReadonlyArray<{ leadid: string; referralKey: string | null }>;
  deadLettered: number;
  apiCalls: Record<string, number>;
  latenciesMs: readonly number[];
};

export type DemoSummary = {
  referrals: number;
  leads: number;
  /** Leads beyond the first for the same referral. */
  duplicateLeads: number;
  /** Referrals whose externalReferenceId is their lead's id. */
  writtenBack: number;
  /** Referrals with no lead at all. */
  lost: number;
  deadLettered: number;
  apiCalls: Record<string, number>;
  latencyMs: { p50: number | null; p95: number | null };
};

export function summarize(input: SummaryInput): DemoSummary {
  const leadsByReferral = new Map<string, string[]>();
  for (const lead of input.leads) {
    if (lead.referralKey === null) continue;
    const key = lead.referralKey.toLowerCase();
    leadsByReferral.set(key, [...(leadsByReferral.get(key) ?? []), lead.leadid.toLowerCase()]);
  }
  let writtenBack = 0;
  let lost = 0;
  for (const referral of input.referrals) {
    const leads = leadsByReferral.get(referral.id.toLowerCase()) ?? [];
    if (leads.length === 0) lost += 1;
    if (leads.length === 1 && leads[0] === referral.externalReferenceId?.toLowerCase()) writtenBack += 1;
  }
  const duplicateLeads = [...leadsByReferral.values()].reduce((sum, ids) => sum + ids.length - 1, 0);
  return {
    referrals: input.referrals.length,
    leads: input.leads.length,
    duplicateLeads,
    writtenBack,
    lost,
    deadLettered: input.deadLettered,
    apiCalls: input.apiCalls,
    latencyMs: { p50: percentile(input.latenciesMs, 0.5), p95: percentile(input.latenciesMs, 0.95) },
  };
}

/** Nearest-rank percentile; null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round((sorted[index] as number) * 10) / 10;
}
