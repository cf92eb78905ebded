/**
 * The operator console in a real browser: Debian's Chromium (never a downloaded one) driven by
 * playwright-core, against a demo run (emulated Entra ID, Partner Center and Dataverse with a real
 * connector). One browser for the suite; a fresh context (cookie jar) per way of signing in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../demo/run-demo.ts';
import { type Demo, startDemo } from '../../demo/start-demo.ts';
import { createLogger } from '../../src/observability/logger.ts';

const CHROMIUM = '/usr/bin/chromium';
const POISON = 'Poisoned Ltd';
const SCRIPT_NAME = '<script>alert(1)</script>';

describe('operator console in Chromium', () => {
  let demo: Demo;
  let browser: Browser;
  let tokenContext: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const directories: string[] = [];
  const directory = (prefix: string) => {
    const created = mkdtempSync(join(tmpdir(), prefix));
    directories.push(created);
    return created;
  };

  beforeAll(async () => {
    demo = await startDemo({
      dataDir: directory('console-browser-'),
      logger: createLogger({ level: 'silent' }),
      dispatcherRetryDelaysMs: [200, 400, 800],
      overrides: { 'sync.backoffBaseMs': 50, 'sync.backoffCapMs': 200, 'sync.maxAttempts': 2 },
    });
    // A Dataverse plug-in refuses one customer's leads until it is "fixed": that referral dead-letters.
    demo.world.dataverse.setRejectLeads([
      { column: 'companyname', equals: POISON, message: 'Refused by a plug-in' },
    ]);
    demo.world.referrals.create({ customerProfile: { name: POISON } }, { as: 'microsoft' });
    demo.world.referrals.create({ name: SCRIPT_NAME }, { as: 'microsoft' });
    await runDemo(demo, { referrals: 5, updateShare: 0, timeoutMs: 60_000 });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // No --user-data-dir: playwright refuses it here and gives every launch a fresh temporary profile.
      ],
    });
    tokenContext = await browser.newContext();
    // Fail with playwright's own message (which locator, which state) well before the test's timeout.
    tokenContext.setDefaultTimeout(10_000);
    page = await tokenContext.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    for (const created of directories) rmSync(created, { recursive: true, force: true });
  });

  it('sends a browser that is not signed in to the sign-in page, and back where it was going after', async () => {
    await page.goto(`${demo.adminUrl}/referrals?status=New`);
    expect(new URL(page.url()).pathname).toBe('/auth/sign-in');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');

    await page.getByLabel('Console token').fill('not the token at all, but long enough to try');
    await page.getByRole('button', { name: 'Sign in with the token' }).click();
    await page.getByRole('alert').filter({ hasText: 'That token is not right.' }).waitFor();

    const token = new URL(demo.adminLink).searchParams.get('token') ?? '';
    await page.getByLabel('Console token').fill(token);
    await page.getByRole('button', { name: 'Sign in with the token' }).click();
    await page.waitForURL((url) => url.pathname === '/referrals');
    expect(new URL(page.url()).searchParams.get('status')).toBe('New');
  });

  it('lists the demo run’s referrals, with the one named like a script shown as text', async () => {
    await page.goto(`${demo.adminUrl}/referrals`);
    const rows = page.locator('#results tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(7);
    await page.getByRole('searchbox', { name: 'Search' }).fill('alert(1)');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'alert(1)');
    const link = page.locator('#results tbody tr a').first();
    expect(await link.textContent()).toBe(SCRIPT_NAME);
    await link.click();
    await page.getByRole('heading', { level: 1, name: SCRIPT_NAME }).waitFor();
    expect(await page.locator('main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('opens a referral’s timeline of sync steps and its raw callbacks', async () => {
    await page.goto(`${demo.adminUrl}/referrals?outcome=synced`);
    await page.locator('#results tbody tr a').first().click();
    const timeline = page.locator('#live table');
    await timeline.waitFor();
    const steps = await timeline.locator('tbody td:nth-child(2)').allTextContents();
    expect(steps).toEqual(expect.arrayContaining(['fetch-referral', 'upsert-lead', 'write-back']));
    await expect(page.locator('#live [role="status"]').textContent()).resolves.toContain('Synced');
    await page.getByText('referral-created').first().click();
    await expect(page.locator('details[open] pre').first().textContent()).resolves.toContain('"EventName"');
  });

  it('replays a dead letter once its cause is fixed, and the referral then syncs', async () => {
    await page.goto(`${demo.adminUrl}/dead-letters`);
    const row = page.locator('tbody tr').filter({ hasText: 'Refused by a plug-in' });
    await row.waitFor();
    demo.world.dataverse.setRejectLeads([]);
    const referralLink = row.locator('a').first();
    const href = (await referralLink.getAttribute('href')) ?? '';
    await row.getByRole('button', { name: /^Replay/ }).click();
    await page.getByRole('status').filter({ hasText: 'Replayed 1 referral' }).waitFor();

    await page.goto(`${demo.adminUrl}${href}`);
    // The page polls its sync section while the job runs; it settles on Synced without a reload.
    await page.locator('#live .badge-synced').waitFor({ timeout: 20_000 });
    expect(await page.locator('#live tbody td:nth-child(2)').allTextContents()).toContain('upsert-lead');
  });

  it('refuses a state-changing request without the CSRF token, even from its own pages', async () => {
    await page.goto(`${demo.adminUrl}/dead-letters`);
    const status = await page.evaluate(async () => {
      const response = await fetch('/dead-letters/replay-reason', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'reason=lead_rejected&confirm=yes',
      });
      return response.status;
    });
    expect(status).toBe(403);
  });

  it('signs in with Microsoft on the emulated Entra ID page, and signs out there too', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const microsoft = await context.newPage();
      await microsoft.goto(`${demo.adminUrl}/`);
      await microsoft.getByRole('link', { name: 'Sign in with Microsoft' }).click();
      await microsoft.waitForURL((url) => url.origin === new URL(demo.world.urls.entra).origin);
      await microsoft.getByLabel('Email, phone, or Skype').fill(demo.world.credentials.username);
      await microsoft.getByLabel('Password').fill(demo.world.credentials.password);
      await microsoft.getByRole('button', { name: 'Sign in' }).click();
      await microsoft.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await expect(microsoft.locator('.account strong').textContent()).resolves.toBe(
        demo.world.credentials.username,
      );

      await microsoft.getByRole('button', { name: 'Sign out' }).click();
      await microsoft.getByRole('alert').filter({ hasText: 'You are signed out.' }).waitFor();
      await microsoft.goto(`${demo.adminUrl}/`);
      expect(new URL(microsoft.url()).pathname).toBe('/auth/sign-in');
    } finally {
      await context.close();
    }
  });
});
