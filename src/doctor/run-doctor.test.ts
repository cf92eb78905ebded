/**
 * `doctor` against the emulators: everything passes on a set-up made as the README says; each thing a
 * partner can get wrong (the emulators have a knob for each) gives its ✗ line and a failed report.
 */
import { LEAF_SUBJECT } from '@referral-connector/emulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorWorld, linesOf, PUBLIC_URL, startDoctorWorld, statusesOf } from './test-support.ts';

const ALL_LEAD_PRIVILEGES = [
  'prvCreateLead',
  'prvReadLead',
  'prvWriteLead',
  'prvDeleteLead',
  'prvAppendLead',
  'prvAppendToLead',
] as const;

describe('doctor against an emulated tenant set up as the README says', () => {
  let dw: DoctorWorld;
  beforeAll(async () => {
    dw = await startDoctorWorld();
  });
  afterAll(() => dw?.close());
  afterEach(async () => {
    dw.world.dataverse.setSetup({
      changeTracking: true,
      alternateKeyStatus: 'Active',
      leadPrivileges: [...ALL_LEAD_PRIVILEGES],
    });
  });

  it('passes every check; only the loopback public URL is worth a look', async () => {
    const report = await dw.doctor();
    expect(statusesOf(report)).toEqual({
      configuration: 'pass',
      'partnerCenter.trustedRootsFile': 'pass',
      'tls.extraCaFile': 'pass',
      'server.publicUrl': 'warn',
      'store migrations': 'pass',
      'store writable': 'pass',
      'Partner Center user': 'pass',
      'refresh token': 'pass',
      MFA: 'pass',
      'Referrals read': 'pass',
      'token for https://api.partnercenter.microsoft.com': 'pass',
      registration: 'pass',
      'signing certificate': 'pass',
      'Dataverse identity': 'pass',
      'lead table': 'pass',
      'leads readable and writable': 'pass',
      'lead.new_referralid': 'pass',
      'alternate key on lead.new_referralid': 'pass',
      'lead.new_referralurl': 'pass',
      'change tracking on lead': 'pass',
      clock: 'pass',
    });
    expect(report.ok).toBe(true);
    const lines = linesOf(report);
    expect(lines['tls.extraCaFile']?.detail).toMatch(/^1 certificate \(/);
    expect(lines.registration?.detail).toBe(
      `${PUBLIC_URL}/webhooks/partner-center receives referral-created, referral-updated, related-referral-created, related-referral-updated`,
    );
    expect(lines['signing certificate']?.detail).toContain(LEAF_SUBJECT.split(',')[0] ?? 'CN=');
    expect(lines.MFA?.detail).toBe("the user's token says pwd, mfa");
  });

  it('passes an https public URL, which the registration must then name', async () => {
    const report = await dw.doctor({ 'server.publicUrl': 'https://connector.example.com' });
    expect(linesOf(report)['server.publicUrl']?.status).toBe('pass');
    expect(linesOf(report).registration).toMatchObject({
      status: 'fail',
      detail: `the events go to ${PUBLIC_URL}/webhooks/partner-center, not to this connector (https://connector.example.com/webhooks/partner-center)`,
    });
  });

  it('fails when change tracking is off on lead while the change feed runs', async () => {
    dw.world.dataverse.setSetup({ changeTracking: false });
    const report = await dw.doctor();
    expect(report.ok).toBe(false);
    expect(linesOf(report)['change tracking on lead']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('turn on Track changes'),
    });
  });

  it("fails when the alternate key's index failed", async () => {
    dw.world.dataverse.setSetup({ alternateKeyStatus: 'Failed' });
    const report = await dw.doctor();
    expect(report.ok).toBe(false);
    expect(linesOf(report)['alternate key on lead.new_referralid']?.status).toBe('fail');
  });

  it('fails when the application user may not write leads', async () => {
    dw.world.dataverse.setSetup({ leadPrivileges: ['prvReadLead', 'prvCreateLead'] });
    const report = await dw.doctor();
    expect(linesOf(report)['leads readable and writable']).toMatchObject({
      status: 'fail',
      detail: "the application user's roles lack prvWriteLead",
    });
  });

  it('fails when the registration points elsewhere, and says the command that takes the events back', async () => {
    dw.world.webhooks.registerAs(dw.world.credentials.tenant, {
      WebhookUrl: 'https://cosell.example.net/hook',
      WebhookEvents: ['referral-created', 'referral-updated'],
    });
    try {
      const report = await dw.doctor();
      expect(report.ok).toBe(false);
      expect(linesOf(report).registration).toEqual({
        group: 'Partner Center webhook',
        name: 'registration',
        status: 'fail',
        detail: `the events go to https://cosell.example.net/hook, not to this connector (${PUBLIC_URL}/webhooks/partner-center)`,
        fix: 'run `referral-connector webhooks register` --force (the integration at that URL then stops receiving them: one URL per tenant)',
      });
    } finally {
      await dw.register();
    }
  });

  it('fails when the registration lacks a configured event', async () => {
    dw.world.webhooks.registerAs(dw.world.credentials.tenant, {
      WebhookUrl: `${PUBLIC_URL}/webhooks/partner-center`,
      WebhookEvents: ['referral-created'],
    });
    try {
      const line = linesOf(await dw.doctor()).registration;
      expect(line?.status).toBe('fail');
      expect(line?.detail).toContain('is registered without referral-updated, related-referral-created');
      expect(line?.fix).toBe('run `referral-connector webhooks register`');
    } finally {
      await dw.register();
    }
  });

  it('fails when the refresh token was revoked, and sends the reader to auth login', async () => {
    dw.world.entra.revokeRefreshTokens(dw.world.credentials.username);
    try {
      const report = await dw.doctor();
      expect(linesOf(report)['refresh token']).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('referral-connector auth login'),
      });
      expect(linesOf(report).MFA?.status).toBe('skip');
    } finally {
      await dw.signIn();
    }
  });

  it('reads a trust bundle glued without a newline, for the TLS CA and the signing root alike', async () => {
    const stranger = dw.world.signingRootPem;
    const report = await dw.doctor({
      'tls.extraCaFile': dw.file('glued-tls.pem', stranger.trimEnd() + (dw.world.tlsCaPem ?? '')),
      'partnerCenter.trustedRootsFile': dw.file(
        'glued-roots.pem',
        (dw.world.tlsCaPem ?? '').trimEnd() + stranger,
      ),
    });
    expect(report.ok).toBe(true);
    expect(linesOf(report)['tls.extraCaFile']?.detail).toMatch(/^2 certificates \(/);
    expect(linesOf(report)['signing certificate']?.status).toBe('pass');
  });

  it('fails on a trust file it cannot read, naming the block, and checks nothing remote', async () => {
    const cut = (dw.world.tlsCaPem ?? '').replace('-----END CERTIFICATE-----', '');
    const report = await dw.doctor({ 'tls.extraCaFile': dw.file('cut.pem', cut) });
    expect(linesOf(report)['tls.extraCaFile']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        'which has a block #1 (CERTIFICATE) without its -----END CERTIFICATE----- line',
      ),
    });
    expect(
      report.lines.filter((line) => line.name === 'remote checks').every((l) => l.status === 'skip'),
    ).toBe(true);
    expect(report.ok).toBe(false);
  });

  it('fails on a configuration that does not load, naming the key', async () => {
    const report = await dw.doctor({ 'server.port': 'eighty' });
    expect(report.ok).toBe(false);
    expect(report.lines).toEqual([
      expect.objectContaining({ group: 'configuration', name: 'server.port', status: 'fail' }),
    ]);
  });
});

describe('doctor against tenants set up wrongly from the start', () => {
  it('fails when lead has no alternate key on the referral-id column', async () => {
    const dw = await startDoctorWorld({ dataverse: { alternateKey: [] } });
    try {
      const report = await dw.doctor();
      expect(report.ok).toBe(false);
      expect(linesOf(report)['alternate key on lead.new_referralid']).toMatchObject({
        status: 'fail',
        detail: 'no alternate key on new_referralid alone: every upsert by referral would fail',
      });
    } finally {
      await dw.close();
    }
  });

  it('fails when the signed-in user has no MFA: no mfa in amr, and Partner Center refuses the read', async () => {
    const dw = await startDoctorWorld({
      entra: {
        users: [{ username: 'no.mfa@contoso-partner.example', password: 'x', mfaRegistered: false }],
        deviceCodeAutoApprove: 'no.mfa@contoso-partner.example',
      },
    });
    try {
      const report = await dw.doctor();
      expect(report.ok).toBe(false);
      expect(linesOf(report).MFA).toMatchObject({
        status: 'fail',
        detail: "the user's token says pwd, without mfa: Partner Center refuses such App+User calls",
      });
      expect(linesOf(report)['Referrals read']).toMatchObject({
        status: 'fail',
        fix: 'give the user the Referrals admin (or Referrals user) role in Partner Center, and sign in with MFA',
      });
    } finally {
      await dw.close();
    }
  });

  it('fails when nobody signed in and nothing is registered, saying which command to run', async () => {
    const dw = await startDoctorWorld({ signIn: false, register: false });
    try {
      const report = await dw.doctor();
      const lines = linesOf(report);
      expect(lines['Partner Center user']).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('referral-connector auth login'),
      });
      expect(lines.registration).toMatchObject({
        status: 'fail',
        fix: 'run `referral-connector webhooks register`',
      });
      // The webhook API's token comes from the app's secret: it is checked all the same.
      expect(lines['token for https://api.partnercenter.microsoft.com']?.status).toBe('pass');
    } finally {
      await dw.close();
    }
  });

  it('checks a Salesforce org with its own adapter checks', async () => {
    const dw = await startDoctorWorld({ crm: 'salesforce' });
    try {
      const report = await dw.doctor();
      expect(report.ok).toBe(true);
      expect(
        report.lines.filter((line) => line.group === 'CRM (salesforce)').map((line) => line.status),
      ).toEqual(Array(7).fill('pass'));
    } finally {
      await dw.close();
    }
  });
});
