/**
 * Console page timings with 100,000 referrals in a SQLite store: seeds the store directly (records, links,
 * timeline, inbox, dead letters), then times each page's queries and rendering, median of 20 runs.
 * `node bench/console-pages.ts [referrals]`. A measurement, not a test: nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { toHtmlString } from '../src/admin/html.ts';
import { referralPage } from '../src/admin/templates/referral-page.ts';
import { referralsPage } from '../src/admin/templates/referrals-page.ts';
import { toReferralKey } from '../src/core/domain.ts';
import type { ReferralListQuery } from '../src/store/console-reads.ts';
import { createSqliteBackend } from '../src/store/sqlite/create-sqlite-backend.ts';

const count = Number(process.argv[2] ?? 100_000);
const directory = mkdtempSync(join(tmpdir(), 'console-bench-'));
const path = join(directory, 'connector.db');
const seedStarted = performance.now();
const backend = createSqliteBackend({ path, synchronous: 'NORMAL' });
await backend.close();
const db = new DatabaseSync(path);
db.exec('BEGIN');
const base = Date.parse('2026-12-01T00:00:00Z');
const insertReferral = db.prepare('INSERT INTO referrals VALUES (?, ?, ?, ?, ?, ?, ?)');
const insertLink = db.prepare('INSERT INTO links (referral_id, lead_id, synced_at) VALUES (?, ?, ?)');
const insertStep = db.prepare(
  'INSERT INTO timeline (referral_id, at, step, outcome, detail) VALUES (?, ?, ?, ?, ?)',
);
const insertInbox = db.prepare(
  "INSERT INTO inbox (received_at, event_name, resource_uri, referral_id, kind, raw_body, headers) VALUES (?, 'referral-created', 'uri', ?, 'sync', '{\"EventName\":\"referral-created\"}', '{}')",
);
const insertDead = db.prepare(
  "INSERT INTO jobs (referral_id, state, reason, attempts, run_at, first_enqueued_at, enqueued_at, last_error_code, last_error_message, dead_at) VALUES (?, 'dead', 'webhook', 12, 0, 0, 0, ?, 'refused', ?)",
);
const customers = ['Contoso', 'Fabrikam', 'Northwind Traders', 'Wingtip Toys', 'Tailspin', 'Adventure Works'];
for (let i = 0; i < count; i++) {
  const id = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${'0'.repeat(12)}`;
  const at = new Date(base + i * 1000).toISOString();
  const customer = `${customers[i % customers.length]} ${i}`;
  insertReferral.run(
    id,
    `${customer} - Data platform`,
    customer,
    ['New', 'Active', 'Closed'][i % 3] ?? 'New',
    'Pending',
    at,
    at,
  );
  if (i % 50 === 7) insertDead.run(id, i % 100 === 7 ? 'lead_rejected' : 'crm_forbidden', base + i);
  else insertLink.run(id, `lead-${i.toString(16).padStart(8, '0')}`, at);
  insertStep.run(id, at, 'fetch-referral', 'ok', '{"status":"New"}');
  insertStep.run(id, at, 'upsert-lead', 'created', '{"leadId":"x"}');
  insertStep.run(id, at, 'write-back', 'ok', null);
  insertInbox.run(at, id);
}
db.exec('COMMIT');
db.close();
const seedMs = performance.now() - seedStarted;

const { store, queue, close } = createSqliteBackend({ path });
const now = base + count * 1000;
const median = async (run: () => Promise<unknown>) => {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Number((times[10] ?? 0).toFixed(2));
};
const list = (query: Omit<ReferralListQuery, 'limit'>) => async () => {
  const full = { ...query, limit: 50 };
  toHtmlString(referralsPage(full, await store.listReferrals(full), now));
};
const middleId = toReferralKey(
  `${Math.floor(count / 2)
    .toString(16)
    .padStart(8, '0')}-0000-4000-8000-${'0'.repeat(12)}`,
);
const results = {
  referrals: count,
  seedSeconds: Number((seedMs / 1000).toFixed(1)),
  'overview (syncActivity 24 h, stats, last webhook) ms': await median(async () => {
    await Promise.all([
      store.syncActivity(new Date(now - 24 * 3_600_000).toISOString()),
      queue.stats(),
      store.lastInboxAt(),
    ]);
  }),
  'referrals, first page ms': await median(list({ offset: 0 })),
  'referrals, page 1000 (offset 49,950) ms': await median(list({ offset: 49_950 })),
  'referrals, status=Active ms': await median(list({ status: 'Active', offset: 0 })),
  'referrals, outcome=dead-lettered ms': await median(list({ outcome: 'dead-lettered', offset: 0 })),
  'referrals, outcome=synced ms': await median(list({ outcome: 'synced', offset: 0 })),
  'referrals, search by customer "wingtip toys 9999" ms': await median(
    list({ search: 'wingtip toys 9999', offset: 0 }),
  ),
  'referrals, search by id prefix ms': await median(list({ search: middleId.slice(0, 8), offset: 0 })),
  'referrals, search with no match ms': await median(list({ search: 'no such customer', offset: 0 })),
  'one referral (summary, timeline, inbox) ms': await median(async () => {
    const summary = await store.referralSummary(middleId);
    if (!summary) throw new Error('missing');
    const [timeline, inbox] = await Promise.all([store.timeline(middleId, 100), store.inboxOf(middleId, 20)]);
    toHtmlString(
      referralPage(
        {
          summary,
          timeline,
          inbox,
          partnerCenterUrl: 'https://x',
          leadUrl: undefined,
          deadLetterMessage: undefined,
          now,
        },
        'csrf',
      ),
    );
  }),
  'dead letters (200 newest, names) ms': await median(async () => {
    const letters = await queue.deadLetters({ limit: 200 });
    for (const letter of letters) await store.referralSummary(letter.referralId);
  }),
};
await close();
rmSync(directory, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
