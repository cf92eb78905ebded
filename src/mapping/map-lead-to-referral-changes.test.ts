import { describe, expect, it } from 'vitest';
import type { LeadPhase } from '../core/lead.ts';
import { LEAD_PHASES } from '../core/lead.ts';
import { STATUS_PAIR_KEYS, type StatusPairKey } from '../core/referral-status.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import { mapLeadToReferralChanges, type ReferralChanges } from './map-lead-to-referral-changes.ts';
import { defaultStatusMapping, defaultStatusTable, type StatusMapping } from './status-mapping.ts';
import { leadState, sampleReferral, withStatus } from './test-support.ts';
import { toJsonPatch } from './to-json-patch.ts';

const LEAD_ID = leadState().leadId;

/** A referral already linked to the lead, so only the status decision shows. */
const linked = (key: StatusPairKey): Referral => ({
  ...withStatus(sampleReferral(), key),
  externalReferenceId: LEAD_ID,
});

/** The documented default table (README), written out independently of the code's table. */
const defaultRows: [LeadPhase, StatusPairKey, StatusPairKey | null][] = [
  ['open', 'New/Pending', null],
  ['open', 'New/Received', null],
  ['open', 'Active/Accepted', null],
  ['open', 'Closed/Won', null],
  ['open', 'Closed/Lost', null],
  ['open', 'Closed/Declined', null],
  ['open', 'Closed/Expired', null],
  ['qualified', 'New/Pending', 'Active/Accepted'],
  ['qualified', 'New/Received', 'Active/Accepted'],
  ['qualified', 'Active/Accepted', null],
  ['qualified', 'Closed/Won', null],
  ['qualified', 'Closed/Lost', null],
  ['qualified', 'Closed/Declined', null],
  ['qualified', 'Closed/Expired', null],
  ['disqualified', 'New/Pending', 'Closed/Declined'],
  ['disqualified', 'New/Received', 'Closed/Declined'],
  ['disqualified', 'Active/Accepted', 'Closed/Lost'],
  ['disqualified', 'Closed/Won', null],
  ['disqualified', 'Closed/Lost', null],
  ['disqualified', 'Closed/Declined', null],
  ['disqualified', 'Closed/Expired', null],
];

function apply(referral: Referral, changes: ReferralChanges | null): Referral {
  if (changes === null) return referral;
  return {
    ...referral,
    externalReferenceId: changes.externalReferenceId ?? referral.externalReferenceId,
    status: changes.status?.to.status ?? referral.status,
    substatus: changes.status?.to.substatus ?? referral.substatus,
    statusReason: changes.status?.statusReason ?? referral.statusReason,
  };
}

describe('mapLeadToReferralChanges: the default status table', () => {
  it('covers every lead phase × referral status pair', () => {
    expect(defaultRows.map(([phase, from]) => `${phase} ${from}`)).toEqual(
      LEAD_PHASES.flatMap((phase) => STATUS_PAIR_KEYS.map((from) => `${phase} ${from}`)),
    );
  });

  it.each(defaultRows)('a %s lead and a %s referral → %s', (phase, from, to) => {
    const changes = mapLeadToReferralChanges(linked(from), leadState({ phase }));

    if (to === null) {
      expect(changes).toBeNull();
    } else {
      const [status, substatus] = to.split('/');
      expect(changes).toEqual({
        status: {
          from: { status: linked(from).status, substatus: linked(from).substatus },
          to: { status, substatus },
        },
      });
    }
  });

  it.each(defaultRows)('a %s lead and a %s referral need nothing more once applied', (phase, from) => {
    const lead = leadState({ phase, reason: 'No Longer Interested' });
    const referral = { ...withStatus(sampleReferral(), from), externalReferenceId: null };
    const once = apply(referral, mapLeadToReferralChanges(referral, lead));

    expect(mapLeadToReferralChanges(once, lead)).toBeNull();
  });
});

describe('mapLeadToReferralChanges: the link', () => {
  it('records the lead id in externalReferenceId, with no status change for an open lead', () => {
    const referral = { ...withStatus(sampleReferral(), 'New/Pending'), externalReferenceId: null };

    expect(mapLeadToReferralChanges(referral, leadState())).toEqual({ externalReferenceId: LEAD_ID });
  });

  it('writes the link and the status together', () => {
    const referral = { ...withStatus(sampleReferral(), 'New/Received'), externalReferenceId: ' ' };

    expect(mapLeadToReferralChanges(referral, leadState({ phase: 'qualified' }))).toEqual({
      externalReferenceId: LEAD_ID,
      status: {
        from: { status: 'New', substatus: 'Received' },
        to: { status: 'Active', substatus: 'Accepted' },
      },
    });
  });

  it('does not rewrite a link that differs only in case', () => {
    const referral = { ...sampleReferral(), externalReferenceId: LEAD_ID.toUpperCase() };

    expect(mapLeadToReferralChanges(referral, leadState())).toBeNull();
  });

  it('replaces another record’s id by default (the spec example holds CRM-OPP-000451)', () => {
    expect(mapLeadToReferralChanges(sampleReferral(), leadState())).toEqual({ externalReferenceId: LEAD_ID });
  });

  it('keeps another record’s id when replacing is switched off, but still fills an empty one', () => {
    const mapping: StatusMapping = { ...defaultStatusMapping, replaceExternalReferenceId: false };

    expect(mapLeadToReferralChanges(sampleReferral(), leadState(), mapping)).toBeNull();
    expect(
      mapLeadToReferralChanges({ ...sampleReferral(), externalReferenceId: null }, leadState(), mapping),
    ).toEqual({ externalReferenceId: LEAD_ID });
  });

  it('never writes a blank lead id', () => {
    expect(
      mapLeadToReferralChanges(
        { ...sampleReferral(), externalReferenceId: null },
        leadState({ leadId: ' ' }),
      ),
    ).toBeNull();
  });
});

describe('mapLeadToReferralChanges: closed referrals and illegal moves', () => {
  it.each(STATUS_PAIR_KEYS.filter((key) => key.startsWith('Closed/')))(
    'writes nothing at all to a %s referral, not even a missing link',
    (key) => {
      const referral = { ...withStatus(sampleReferral(), key), externalReferenceId: null };

      for (const phase of LEAD_PHASES) {
        expect(mapLeadToReferralChanges(referral, leadState({ phase, reason: 'x' }))).toBeNull();
      }
    },
  );

  it('writes nothing to a Closed referral even when a mapping asks to', () => {
    const reopen: StatusMapping = {
      ...defaultStatusMapping,
      table: { ...defaultStatusTable, open: { ...defaultStatusTable.open, 'Closed/Lost': 'Closed/Won' } },
    };

    expect(mapLeadToReferralChanges(linked('Closed/Lost'), leadState(), reopen)).toBeNull();
  });

  it('makes no move that §2.4 forbids, even when a mapping asks for it', () => {
    const backwards: StatusMapping = {
      ...defaultStatusMapping,
      table: {
        ...defaultStatusTable,
        open: { ...defaultStatusTable.open, 'Active/Accepted': 'New/Pending' },
      },
    };

    expect(mapLeadToReferralChanges(linked('Active/Accepted'), leadState(), backwards)).toBeNull();
  });

  it('does not move a referral whose status pair is not valid', () => {
    const odd = {
      ...sampleReferral(),
      externalReferenceId: LEAD_ID,
      status: 'New',
      substatus: 'Won',
    } as const;

    expect(mapLeadToReferralChanges(odd, leadState({ phase: 'disqualified' }))).toBeNull();
  });

  it('applies an override that auto-accepts on an open lead', () => {
    const autoAccept: StatusMapping = {
      ...defaultStatusMapping,
      table: {
        ...defaultStatusTable,
        open: { ...defaultStatusTable.open, 'New/Pending': 'Active/Accepted' },
      },
    };

    expect(mapLeadToReferralChanges(linked('New/Pending'), leadState(), autoAccept)?.status?.to).toEqual({
      status: 'Active',
      substatus: 'Accepted',
    });
  });
});

describe('mapLeadToReferralChanges: status reason', () => {
  it('sends the lead’s reason when closing', () => {
    const changes = mapLeadToReferralChanges(
      linked('Active/Accepted'),
      leadState({ phase: 'disqualified', reason: ' No Longer Interested ' }),
    );

    expect(changes?.status?.statusReason).toBe('No Longer Interested');
  });

  it('sends no reason when not closing', () => {
    const changes = mapLeadToReferralChanges(
      linked('New/Pending'),
      leadState({ phase: 'qualified', reason: 'Good fit' }),
    );

    expect(changes?.status).not.toHaveProperty('statusReason');
  });

  it('sends no reason when switched off', () => {
    const mapping: StatusMapping = { ...defaultStatusMapping, writeStatusReason: false };
    const changes = mapLeadToReferralChanges(
      linked('New/Pending'),
      leadState({ phase: 'disqualified', reason: 'Canceled' }),
      mapping,
    );

    expect(changes?.status).toEqual({
      from: { status: 'New', substatus: 'Pending' },
      to: { status: 'Closed', substatus: 'Declined' },
    });
  });
});

describe('toJsonPatch', () => {
  it('writes the link, then status and substatus together, then the reason', () => {
    const changes = mapLeadToReferralChanges(
      { ...withStatus(sampleReferral(), 'Active/Accepted'), externalReferenceId: null },
      leadState({ phase: 'disqualified', reason: 'Lost to competitor' }),
    );

    expect(changes && toJsonPatch(changes)).toEqual([
      { op: 'replace', path: '/externalReferenceId', value: LEAD_ID },
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Lost' },
      { op: 'replace', path: '/statusReason', value: 'Lost to competitor' },
    ]);
  });

  it('writes only the link when only the link changed', () => {
    expect(toJsonPatch({ externalReferenceId: 'lead-1' })).toEqual([
      { op: 'replace', path: '/externalReferenceId', value: 'lead-1' },
    ]);
  });
});
