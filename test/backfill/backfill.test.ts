/**
 * `referral-connector backfill` as an operator runs it (a child process), against an emulated tenant
 * that already holds 5,000 referrals in mixed states and directions. Dataverse's service-protection
 * limits are lifted so a test takes seconds, not minutes; `bench/backfill-rate.ts` measures the rate
 * against the real ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { EmulatorWorldOptions, Referral } from '@referral-connector/emulators';
import { afterEach, describe, expect, it } from 'vitest';
import { toReferralKey } from '../../src/core/domain.ts';
import { waitFor } from '../support/connector-world.ts';
import { type BackfillWorld, runCommand, startBackfillWorld } from './backfill-world.ts';

const REFERRALS = 5_000;
const LIFTED_LIMITS = { requestsPerWindow: 1_000_000, executionTimeMs: 1_000_000_000, windowMs: 1_000 };

let backfill: BackfillWorld | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await backfill?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  backfill = undefined;
  dataDir = undefined;
});

async function startWorld(
  settings: Record<string, unknown> = {},
  entra: EmulatorWorldOptions['entra'] = {},
): Promise<BackfillWorld> {
  dataDir = mkdtempSync(join(tmpdir(), 'rc-backfill-'));
  backfill = await startBackfillWorld({
    dataDir,
    emulators: {
      seed: 'backfill',
      referrals: { seedCount: REFERRALS },
      dataverse: { limits: LIFTED_LIMITS },
      entra,
    },
    // Leases of a killed run come back after 5 s instead of 2 minutes; commits skip the fsync that
    // makes a webhook's acknowledgement durable (the 2-core machines' disk would dominate otherwise).
    settings: { 'sync.leaseSeconds': 5, 'store.synchronous': 'NORMAL', ...settings },
  });
  return backfill;
}

/** Every row of every table, to compare a store before and after. */
function storeContents(databaseFile: string): Record<string, unknown[]> {
  const db = new DatabaseSync(databaseFile, { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    return Object.fromEntries(
      tables.map(({ name }) => [
        String(name),
        db.prepare(`SELECT * FROM "${String(name)}" ORDER BY rowid`).all(),
      ]),
    );
  } finally {
    db.close();
  }
}

function withDatabase<T>(databaseFile: string, work: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(databaseFile);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** The count the dry run or the summary printed for a decision. */
function countOf(output: string, decision: string): number {
  const table = new RegExp(`^\\s+${decision}\\s+([\\d,]+)\\s`, 'm').exec(output);
  const inline = new RegExp(`\\b${decision} ([\\d,]+)`).exec(output);
  const match = table ?? inline;
  if (!match?.[1]) throw new Error(`no count for ${decision} in:\n${output}`);
  return Number(match[1].replaceAll(',', ''));
}

function leadsByReferral(world: BackfillWorld): Map<string, number> {
  const counts = new Map<string, number>();
  for (const lead of world.world.dataverse.leads()) {
    const key = String(lead.new_referralid);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const byCreation = (a: Referral, b: Referral) =>
  String(a.createdDateTime).localeCompare(String(b.createdDateTime)) || a.id.localeCompare(b.id);

describe('backfill --dry-run', () => {
  it('prints what a sync would do for each of 5,000 referrals, and writes nothing anywhere', async () => {
    // Access tokens that live a minute: every run refreshes its token, and a refreshed token cache is a
    // write the dry run must not make.
    const { world, configFile, databaseFile } = await startWorld({}, { tokenLifetimeSeconds: 60 });
    const all = world.referrals.all();
    const open = all.filter((r) => r.status !== 'Closed').sort(byCreation);
    // Part-way in: an earlier backfill took the oldest 300 open referrals, and the CRM refused one.
    const refused = open[0] as Referral;
    world.dataverse.setRejectLeads([
      {
        column: 'new_referralid',
        equals: toReferralKey(refused.id),
        message: 'Blocked by a partner plug-in',
      },
    ]);
    const limited = await runCommand(configFile, ['backfill', '--status', 'New,Active', '--limit', '300'])
      .exited;
    // Dead-lettered with its reason is an end: the run succeeds and says why that one failed.
    expect(limited.code, limited.stderr).toBe(0);
    expect(limited.stdout).toContain('dead-lettered by reason: dataverse_rejected 1');
    world.dataverse.setRejectLeads([]);
    const linked = new Set(
      withDatabase(databaseFile, (db) => db.prepare('SELECT referral_id FROM links').all()).map((row) =>
        String(row.referral_id),
      ),
    );
    const openLinked = open.filter((r) => linked.has(toReferralKey(r.id)));
    // Since then 20 of them changed, and the store lost track of one lead (restored from an old backup).
    const changed = openLinked.slice(1, 21);
    for (const referral of changed)
      world.referrals.update(referral.id, { details: { notes: 'changed since' } });
    const forgotten = openLinked[0] as Referral;
    withDatabase(databaseFile, (db) =>
      db.prepare('DELETE FROM links WHERE referral_id = ?').run(toReferralKey(forgotten.id)),
    );

    const before = storeContents(databaseFile);
    const since = world.traffic.requests().at(-1)?.seq ?? 0;
    const dry = await runCommand(configFile, ['backfill', '--dry-run', '--status', 'New,Active']).exited;

    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`Dry run: ${REFERRALS.toLocaleString('en-US')} referrals listed`);
    const closed = all.length - open.length;
    expect(countOf(dry.stdout, 'skip')).toBe(closed);
    expect(countOf(dry.stdout, 'dead-lettered')).toBe(1);
    expect(countOf(dry.stdout, 'update')).toBe(20);
    expect(countOf(dry.stdout, 'nothing')).toBe(openLinked.length - 21);
    // Without a link now: the unsynced ones, the refused one (dead-lettered) and the forgotten one.
    expect(countOf(dry.stdout, 'create')).toBe(open.length - openLinked.length);
    expect(dry.stdout).toContain('--status');
    expect(dry.stdout).toContain('dataverse_rejected');
    expect(dry.stdout).toMatch(/First create:\n {2}\S+ {2}(New|Active)\//);

    const during = world.traffic.requests({ sinceSeq: since });
    expect(during.filter((r) => r.service !== 'entra' && r.method !== 'GET')).toEqual([]);
    expect(during.filter((r) => r.service === 'dataverse')).toEqual([]);
    expect(storeContents(databaseFile)).toEqual(before);

    // Asked, the CRM tells the forgotten lead apart: one read per unlinked referral, still no write.
    const askedSince = world.traffic.requests().at(-1)?.seq ?? 0;
    const asked = await runCommand(configFile, [
      'backfill',
      '--dry-run',
      '--status',
      'New,Active',
      '--check-crm',
    ]).exited;
    expect(asked.code, asked.stderr).toBe(0);
    expect(countOf(asked.stdout, 'update')).toBe(21);
    expect(asked.stdout).toContain('[lead in the CRM, no link]');
    const reads = Number(
      /the CRM was asked whether a lead exists: ([\d,]+) reads/.exec(asked.stdout)?.[1]?.replaceAll(',', ''),
    );
    const dataverse = world.traffic
      .requests({ sinceSeq: askedSince })
      .filter((r) => r.service === 'dataverse');
    expect(reads).toBe(open.length - openLinked.length);
    expect(dataverse.filter((r) => r.endpoint === 'GET /leads({key})')).toHaveLength(reads);
    expect(dataverse.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(storeContents(databaseFile)).toEqual(before);
  }, 180_000);
});

describe('backfill', () => {
  it('ends with one lead per selected referral, though interrupted by Ctrl-C and killed on the way; a further run finds nothing to do', async () => {
    // The partner says once that only incoming referrals become leads.
    const world = await startWorld({ 'sync.select.direction': 'incoming' });
    const { configFile, databaseFile } = world;
    const incoming = world.world.referrals.all().filter((r) => r.direction === 'Incoming');
    const leadCount = () => world.world.dataverse.leads().length;

    // Ctrl-C: it stops enqueuing, lets running syncs finish, keeps its cursor and says so.
    const first = runCommand(configFile, ['backfill']);
    await waitFor(() => leadCount() >= 800, '800 leads', 30_000);
    first.child.kill('SIGINT');
    const interrupted = await first.exited;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toContain('Backfill interrupted');
    expect(interrupted.stderr).toMatch(/^backfill: .* synced/m);
    const cursor = withDatabase(databaseFile, (db) =>
      db.prepare("SELECT value FROM cursors WHERE name = 'cursor/backfill'").get(),
    );
    expect(JSON.parse(String(cursor?.value))).toMatchObject({ finishedAt: null });

    // A crash: no shutdown hook runs; its running syncs are abandoned under their leases.
    const second = runCommand(configFile, ['backfill']);
    await waitFor(() => leadCount() >= 2_000, '2,000 leads', 30_000);
    second.child.kill('SIGKILL');
    await second.exited;

    const third = await runCommand(configFile, ['backfill']).exited;
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain('Backfill complete');
    expect(third.stdout).toContain('continued the backfill started');

    const leads = leadsByReferral(world);
    expect([...leads.values()].filter((n) => n > 1)).toEqual([]);
    expect(leads.size).toBe(incoming.length);
    for (const referral of incoming) expect(leads.get(toReferralKey(referral.id)), referral.id).toBe(1);

    // Nothing left to do: no sync enqueued, not a single CRM call.
    const since = world.world.traffic.requests().at(-1)?.seq ?? 0;
    const again = await runCommand(configFile, ['backfill']).exited;
    expect(again.code, again.stderr).toBe(0);
    expect(countOf(again.stdout, 'create')).toBe(0);
    expect(countOf(again.stdout, 'update')).toBe(0);
    expect(countOf(again.stdout, 'nothing')).toBe(incoming.length);
    expect(
      world.world.traffic.requests({ sinceSeq: since }).filter((r) => r.service === 'dataverse'),
    ).toEqual([]);
  }, 180_000);
});
