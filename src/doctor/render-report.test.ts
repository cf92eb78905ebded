import { describe, expect, it } from 'vitest';
import { inGroup, reportOf } from './doctor-report.ts';
import { renderReport, reportJson } from './render-report.ts';

const report = reportOf([
  ...inGroup('configuration', [
    { name: 'tls.extraCaFile', status: 'pass', detail: '2 certificates (/etc/rc/ca.pem)' },
    {
      name: 'server.publicUrl',
      status: 'warn',
      detail: 'http on a loopback address',
      fix: 'for go-live, set the https URL',
    },
  ]),
  ...inGroup('CRM (dynamics)', [
    {
      name: 'alternate key on lead.new_referralid',
      status: 'fail',
      detail: 'no alternate key\non new_referralid',
      fix: 'add a key',
    },
    { name: 'change tracking on lead', status: 'skip', detail: 'needs the lead table' },
  ]),
]);

describe('renderReport', () => {
  it('writes one line per check under its group, the fix after failures and warnings, and a verdict', () => {
    expect(renderReport(report)).toBe(
      [
        'configuration',
        '  ✓ tls.extraCaFile: 2 certificates (/etc/rc/ca.pem)',
        '  ! server.publicUrl: http on a loopback address → for go-live, set the https URL',
        'CRM (dynamics)',
        '  ✗ alternate key on lead.new_referralid: no alternate key on new_referralid → add a key',
        '  - change tracking on lead: needs the lead table',
        '',
        'not ready: 1 failed, 1 to look at, 1 passed, 1 not checked',
        '',
      ].join('\n'),
    );
  });

  it('says ready when nothing failed, warnings included', () => {
    const ready = reportOf(report.lines.filter((line) => line.status !== 'fail'));
    expect(ready.ok).toBe(true);
    expect(renderReport(ready)).toContain('\nready: 0 failed, 1 to look at, 1 passed, 1 not checked\n');
  });
});

describe('reportJson', () => {
  it('gives scripts the verdict, the counts and every check with its group', () => {
    expect(reportJson(report)).toEqual({
      ok: false,
      counts: { pass: 1, warn: 1, fail: 1, skip: 1 },
      checks: [
        {
          group: 'configuration',
          name: 'tls.extraCaFile',
          status: 'pass',
          detail: '2 certificates (/etc/rc/ca.pem)',
        },
        {
          group: 'configuration',
          name: 'server.publicUrl',
          status: 'warn',
          detail: 'http on a loopback address',
          fix: 'for go-live, set the https URL',
        },
        {
          group: 'CRM (dynamics)',
          name: 'alternate key on lead.new_referralid',
          status: 'fail',
          detail: 'no alternate key\non new_referralid',
          fix: 'add a key',
        },
        {
          group: 'CRM (dynamics)',
          name: 'change tracking on lead',
          status: 'skip',
          detail: 'needs the lead table',
        },
      ],
    });
  });
});
