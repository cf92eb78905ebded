/**
 * The CRM port's contract: every adapter runs these tests against its own emulator (see
 * `dynamics.contract.test.ts`, `salesforce.contract.test.ts`). What the sync engine relies on, whatever
 * the CRM: one lead per referral however often and however concurrently it is upserted; a lead that does
 * not exist reads as null; a closed lead refuses writes with LeadClosedError and its state still reads; the
 * seller's decisions come back through the change feed, from scratch and from a cursor; failures are
 * classified by disposition; a session that dies mid-run is renewed once, transparently.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LeadDraft, type LeadPhase, type ReferralKey, toReferralKey } from '../../src/core/index.ts';
import { type CrmAdapter, LeadClosedError } from '../../src/crm/crm-adapter.ts';
import { RemoteError } from '../../src/net/remote-error.ts';

/** A lead as the emulated CRM holds it, reduced to what the contract looks at. */
export type StoredLead = { leadId: string; referralKey: string };

export type CrmHarness = {
  /** A new adapter; with `staleFirstToken` its first call carries a session the CRM no longer accepts. */
  adapter(options?: { staleFirstToken?: boolean }): CrmAdapter;
  /** Every lead the CRM holds for the referral key (by the CRM's own view, not the adapter's). */
  leadsFor(key: ReferralKey): StoredLead[];
  /** The seller closes the lead the way the CRM's users do. */
  sellerDecides(leadId: string, decision: Exclude<LeadPhase, 'open'>): Promise<void>;
  /**
   * Every call to the CRM fails as the CRM does when it is unavailable or throttling us, until
   * `clearFaults`; returns the retry delay the adapter must report (undefined: none is known).
   */
  failAllCalls(kind: 'unavailable' | 'throttled'): { retryAfterMs?: number };
  /** Ends `failAllCalls` and restores anything `expireCursor` changed. */
  clearFaults(): Promise<void>;
  /** A draft the CRM refuses as invalid data (not a transient failure). */
  invalidDraft(draft: LeadDraft): LeadDraft;
  /**
   * Makes a change-feed cursor one the CRM no longer honours, if the CRM has such a thing; returns the
   * cursor to pass. Undefined: the CRM's cursor cannot expire (say why in `cursorNeverExpires`).
   */
  expireCursor?(cursor: string): Promise<string>;
  cursorNeverExpires?: string;
  close(): Promise<void>;
};

export type CrmContract = {
  name: string;
  start(): Promise<CrmHarness>;
  /** Which seller decision makes the lead read-only in this CRM (Dataverse: both; Salesforce: qualified). */
  readOnlyAfter: ReadonlyArray<Exclude<LeadPhase, 'open'>>;
};

export function leadDraft(overrides: Partial<LeadDraft> = {}): LeadDraft {
  const referralId = overrides.referralId ?? freshKey();
  return {
    referralId,
    referralUrl: `https://partner.microsoft.com/en-us/dashboard/referrals/v2/leads/${referralId}`,
    topic: 'Northwind Traders - Azure migration',
    companyName: 'Northwind Traders',
    contact: {
      firstName: 'Alex',
      lastName: 'Rivera',
      email: 'alex.rivera@northwind.example',
      phone: '+15550100',
      jobTitle: 'CTO',
    },
    address: {
      line1: '1 Sample Street',
      line2: null,
      city: 'Springfield',
      stateOrProvince: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    description: 'Customer wants to move two datacenters to Azure this fiscal year.',
    estimatedAmount: 250000,
    currencyCode: 'USD',
    estimatedCloseDate: '2026-09-30',
    source: 'external-referral',
    ...overrides,
  };
}

export const freshKey = (): ReferralKey => toReferralKey(randomUUID());

async function failureOf(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a RemoteError, got ${String(error)}`);
  return error;
}

export function describeCrmAdapterContract(contract: CrmContract): void {
  describe(`CRM adapter contract: ${contract.name}`, () => {
    let harness: CrmHarness;
    let crm: CrmAdapter;

    beforeAll(async () => {
      harness = await contract.start();
      crm = harness.adapter();
    });
    afterAll(async () => {
      await crm?.close();
      await harness?.close();
    });

    it('creates one lead for a referral, and a second upsert updates that same lead', async () => {
      const key = freshKey();
      const created = await crm.upsertLead(leadDraft({ referralId: key, topic: 'First topic' }));
      const updated = await crm.upsertLead(leadDraft({ referralId: key, topic: 'Second topic' }));

      expect(created).toMatchObject({ created: true, phase: 'open' });
      expect(updated).toMatchObject({ created: false, phase: 'open', leadId: created.leadId });
      expect(harness.leadsFor(key)).toEqual([{ leadId: created.leadId, referralKey: key }]);
    });

    it('leaves one lead after 20 concurrent upserts of one referral', async () => {
      const key = freshKey();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          crm.upsertLead(leadDraft({ referralId: key, topic: `Topic ${i}` })),
        ),
      );
      const written = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);

      expect(written.length).toBeGreaterThan(0);
      expect(written.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(written.map((r) => r.leadId)).size).toBe(1);
      expect(harness.leadsFor(key)).toHaveLength(1);
    });

    it('reads null for a referral that has no lead', async () => {
      expect(await crm.readLead(freshKey())).toBeNull();
    });

    it("reads the seller's decision: qualified and disqualified leads", async () => {
      const qualified = freshKey();
      const disqualified = freshKey();
      const q = await crm.upsertLead(leadDraft({ referralId: qualified }));
      const d = await crm.upsertLead(leadDraft({ referralId: disqualified }));
      await harness.sellerDecides(q.leadId, 'qualified');
      await harness.sellerDecides(d.leadId, 'disqualified');

      expect(await crm.readLead(qualified)).toMatchObject({ leadId: q.leadId, phase: 'qualified' });
      expect(await crm.readLead(disqualified)).toMatchObject({ leadId: d.leadId, phase: 'disqualified' });
    });

    for (const decision of contract.readOnlyAfter) {
      it(`refuses to change a ${decision} lead with LeadClosedError, and its state still reads`, async () => {
        const key = freshKey();
        const { leadId } = await crm.upsertLead(leadDraft({ referralId: key }));
        await harness.sellerDecides(leadId, decision);

        const refused = await failureOf(
          crm.upsertLead(leadDraft({ referralId: key, topic: 'after the decision' })),
        );
        expect(refused).toBeInstanceOf(LeadClosedError);
        expect(refused).toMatchObject({ disposition: 'dead_letter', code: 'lead_closed' });
        expect(await crm.readLead(key)).toMatchObject({ leadId, phase: decision });
        expect(harness.leadsFor(key)).toHaveLength(1);
      });
    }

    describe('change feed', () => {
      it('lists decided leads from scratch, then only those decided since the cursor, never open ones', async () => {
        const decidedBefore = freshKey();
        const open = freshKey();
        const b = await crm.upsertLead(leadDraft({ referralId: decidedBefore }));
        await crm.upsertLead(leadDraft({ referralId: open }));
        await harness.sellerDecides(b.leadId, 'qualified');

        const first = await crm.decidedLeads?.(null);
        expect(first?.fromScratch).toBe(true);
        expect(first?.referralKeys).toContain(decidedBefore);
        expect(first?.referralKeys).not.toContain(open);

        const decidedAfter = freshKey();
        const a = await crm.upsertLead(leadDraft({ referralId: decidedAfter }));
        await harness.sellerDecides(a.leadId, 'disqualified');
        // Our own writes change leads too; only decisions come back.
        await crm.upsertLead(leadDraft({ referralId: open, topic: 'edited by the connector' }));
        const next = await crm.decidedLeads?.(first?.cursor ?? null);
        expect(next).toMatchObject({ fromScratch: false, referralKeys: [decidedAfter] });

        const quiet = await crm.decidedLeads?.(next?.cursor ?? null);
        expect(quiet).toMatchObject({ fromScratch: false, referralKeys: [] });
      });

      it('starts over from scratch when the CRM no longer honours the cursor', async (context) => {
        if (!harness.expireCursor) {
          context.skip(harness.cursorNeverExpires);
          return;
        }
        const start = await crm.decidedLeads?.(null);
        const key = freshKey();
        const { leadId } = await crm.upsertLead(leadDraft({ referralId: key }));
        await harness.sellerDecides(leadId, 'qualified');

        try {
          const again = await crm.decidedLeads?.(await harness.expireCursor(start?.cursor ?? ''));
          expect(again?.fromScratch).toBe(true);
          expect(again?.referralKeys).toContain(key);
        } finally {
          await harness.clearFaults();
        }
      });

      it('starts over from scratch on a cursor it cannot read, rather than failing for ever', async () => {
        const key = freshKey();
        const { leadId } = await crm.upsertLead(leadDraft({ referralId: key }));
        await harness.sellerDecides(leadId, 'disqualified');
        const result = await crm.decidedLeads?.('not a cursor of this CRM').catch((error: unknown) => error);
        if (result instanceof RemoteError) {
          // A cursor that is a URL is checked before any request: a foreign one is refused, never followed.
          expect(result.code).toBe('change_feed_invalid');
          return;
        }
        expect(result).toMatchObject({ fromScratch: true, referralKeys: expect.arrayContaining([key]) });
      });
    });

    describe('reading the fields a sync would write (optional, for mapping preview)', () => {
      const NOT_OFFERED = 'this adapter does not offer readLeadFields: mapping preview shows the draft only';

      it('reads no lead for a referral without one, and creates none', async (context) => {
        if (!crm.readLeadFields) return context.skip(NOT_OFFERED);
        const key = freshKey();
        const reading = await crm.readLeadFields(leadDraft({ referralId: key }));

        expect(reading).toMatchObject({ leadId: null, current: null });
        expect(Object.keys(reading.fields).length).toBeGreaterThan(0);
        expect(harness.leadsFor(key)).toEqual([]);
      });

      it('reads back after an upsert exactly the fields the upsert wrote, and shows what a new draft changes', async (context) => {
        if (!crm.readLeadFields) return context.skip(NOT_OFFERED);
        const key = freshKey();
        const written = await crm.upsertLead(leadDraft({ referralId: key }));

        const same = await crm.readLeadFields(leadDraft({ referralId: key }));
        expect(same.leadId).toBe(written.leadId);
        expect(same.current).toEqual(same.fields);

        const changed = await crm.readLeadFields(leadDraft({ referralId: key, companyName: 'Contoso' }));
        const differing = Object.keys(changed.fields).filter(
          (name) => JSON.stringify(changed.fields[name]) !== JSON.stringify(changed.current?.[name]),
        );
        expect(differing.length).toBeGreaterThan(0);
        expect(differing.map((name) => changed.current?.[name])).toContain('Northwind Traders');
        expect(harness.leadsFor(key)).toEqual([{ leadId: written.leadId, referralKey: key }]);
      });
    });

    describe('failures, classified by disposition', () => {
      it('says retry when the CRM is unavailable', async () => {
        harness.failAllCalls('unavailable');
        try {
          const failure = await failureOf(harness.adapter().upsertLead(leadDraft()));
          expect(failure.disposition).toBe('retry');
        } finally {
          await harness.clearFaults();
        }
      });

      it('says retry when the CRM throttles, with when to come back if the CRM said so', async () => {
        const { retryAfterMs } = harness.failAllCalls('throttled');
        try {
          // A fresh adapter: a throttled one pauses all its calls for the delay.
          const failure = await failureOf(harness.adapter().upsertLead(leadDraft()));
          expect(failure.disposition).toBe('retry');
          expect(failure.retryAfterMs).toBe(retryAfterMs);
        } finally {
          await harness.clearFaults();
        }
      });

      it('dead-letters data the CRM refuses, naming the CRM in the code', async () => {
        const failure = await failureOf(crm.upsertLead(harness.invalidDraft(leadDraft())));
        expect(failure.disposition).toBe('dead_letter');
        expect(failure.code).not.toBe('lead_closed');
      });

      it('renews a session that died mid-run once, and the call succeeds', async () => {
        const adapter = harness.adapter({ staleFirstToken: true });
        try {
          const key = freshKey();
          const written = await adapter.upsertLead(leadDraft({ referralId: key }));
          expect(written).toMatchObject({ created: true });
          expect(harness.leadsFor(key)).toHaveLength(1);
        } finally {
          await adapter.close();
        }
      });
    });
  });
}

/** A token provider whose first token is one the CRM refuses, as after a session timeout. */
export function staleFirst<T extends { token(): Promise<string>; invalidate(): void }>(
  tokens: T,
  stale: string,
): T {
  let first = true;
  return Object.assign(Object.create(tokens) as T, {
    token: () => {
      if (first) {
        first = false;
        return Promise.resolve(stale);
      }
      return tokens.token();
    },
    invalidate: () => tokens.invalidate(),
  });
}
