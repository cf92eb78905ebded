/**
 * The emulator's referrals in memory and every way they change: partner writes through the API
 * (create, PUT, PATCH with eTag checks), Microsoft-side writes from the control API and tests, and the
 * expiry of un-actioned incoming referrals. Each write stamps a new eTag and `updatedDateTime` and
 * emits exactly one `ReferralChange`.
 */

import type { Random } from '../../shared/random.ts';
import { EXPIRY_DAYS, generateReferral } from './generate-referral.ts';
import { applyJsonPatch, JsonPatchError, type PatchOperation } from './json-patch.ts';
import { mergePatch } from './merge-patch.ts';
import type {
  PartnerOrganization,
  ReferralDraft,
  ReferralRecord,
  ReferralStatus,
  ReferralSubstatus,
} from './referral.ts';
import type { ReferralChange, ReferralChangeListener } from './referral-change.ts';
import {
  normalizePropertyNames,
  parseReferralBody,
  READ_ONLY_PROPERTIES,
  WRITABLE_PROPERTIES,
  type WritableReferral,
} from './referral-input.ts';
import { statusChangeProblem } from './referral-status-rules.ts';
import { invalidRequest, ReferralsError, referralNotFound } from './referrals-error.ts';
import { createMonotonicClock, formatTimestamp, parseTimestamp, ticksFromMs } from './timestamps.ts';

export type ReferralAuthor = 'microsoft' | 'partner';

export type ReferralStore = {
  find(id: string): ReferralRecord | undefined;
  records(): ReferralRecord[];
  /** Partner create through the API: the server decides state, direction and timestamps (§3.4). */
  createFromApi(input: WritableReferral): ReferralRecord;
  replace(id: string, input: WritableReferral, ifMatch: string): ReferralRecord;
  patch(id: string, operations: readonly PatchOperation[], ifMatch: string | undefined): ReferralRecord;
  /** A referral made by someone other than the API caller: fields not given are generated. */
  createAs(input: Record<string, unknown>, author: ReferralAuthor): ReferralRecord;
  /** A Microsoft-side edit as a merge patch; status changes obey §2.4 like partner writes. */
  updateAsMicrosoft(id: string, changes: Record<string, unknown>): ReferralRecord;
  /** Adds generated referrals as they are (any direction and state, timestamps in the past). */
  generate(count: number): ReferralRecord[];
  /** Archives incoming New referrals whose `expirationDateTime` has passed as Closed/Expired. */
  expireDue(): ReferralRecord[];
  onChange(listener: ReferralChangeListener): () => void;
};

export type ReferralStoreOptions = {
  random: Random;
  now: () => number;
  partner: PartnerOrganization;
};

const DAY_MS = 86_400_000;

export function createReferralStore(options: ReferralStoreOptions): ReferralStore {
  const { now, partner } = options;
  const ids = options.random.fork('ids');
  const etags = options.random.fork('etags');
  const generated = options.random.fork('generated');
  const clock = createMonotonicClock(now);
  const referrals = new Map<string, ReferralRecord>();
  const listeners = new Set<ReferralChangeListener>();
  let earliestExpiry: bigint | undefined;

  const newEtag = () => `"${etags.uuid()}"`;

  const save = (draft: ReferralDraft, eventName: ReferralChange['eventName']): ReferralRecord => {
    const record: ReferralRecord = { ...draft, eTag: newEtag() };
    referrals.set(record.id, record);
    const expiry =
      record.status === 'New' && record.expirationDateTime
        ? parseTimestamp(record.expirationDateTime)
        : undefined;
    if (expiry !== undefined && (earliestExpiry === undefined || expiry < earliestExpiry))
      earliestExpiry = expiry;
    const change: ReferralChange = { eventName, referralId: record.id, changedAt: record.updatedDateTime };
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        process.emitWarning(`A referral change listener failed: ${String(error)}`, 'ReferralChangeListener');
      }
    }
    return structuredClone(record);
  };

  const existing = (id: string): ReferralRecord => {
    const record = referrals.get(id);
    if (!record) throw referralNotFound(id);
    return record;
  };

  /** Moves `current` to the status asked for, stamping the lifecycle dates the move implies. */
  const withStatus = (
    current: ReferralDraft,
    requested: { status: ReferralStatus | undefined; substatus: ReferralSubstatus | undefined },
    at: string,
  ): Pick<
    ReferralDraft,
    'status' | 'substatus' | 'acceptedDateTime' | 'closedDateTime' | 'expirationDateTime'
  > => {
    const to = {
      status: requested.status ?? current.status,
      substatus: requested.substatus ?? current.substatus,
    };
    const problem = statusChangeProblem(current, to);
    if (problem) throw invalidRequest(problem, 'status');
    const leftNew = current.status === 'New' && to.status !== 'New';
    return {
      ...to,
      acceptedDateTime: current.acceptedDateTime ?? (to.status === 'Active' ? at : null),
      closedDateTime: to.status === 'Closed' ? (current.closedDateTime ?? at) : null,
      expirationDateTime: leftNew ? null : current.expirationDateTime,
    };
  };

  const checkEtag = (record: ReferralRecord, ifMatch: string): void => {
    const unquote = (tag: string) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    const matches = ifMatch
      .split(',')
      .some((tag) => tag.trim() === '*' || unquote(tag) === unquote(record.eTag));
    if (!matches) {
      throw new ReferralsError(
        412,
        'preconditionFailed',
        'The referral was modified by someone else; the If-Match eTag is stale. Get the referral and retry.',
        {
          target: 'referral',
          innerError: { code: 'resourceModified', message: `Current eTag is ${record.eTag}.` },
        },
      );
    }
  };

  /** Writes partner-supplied fields over `current`, keeping server-owned ones. */
  const applyWritable = (current: ReferralRecord, input: WritableReferral): ReferralRecord => {
    const at = clock();
    const { status, substatus, qualification, ...fields } = input;
    return save(
      {
        ...withoutEtag(current),
        ...fields,
        qualification: qualification ?? current.qualification,
        ...withStatus(current, { status, substatus }, at),
        updatedDateTime: at,
      },
      'referral-updated',
    );
  };

  return {
    find: (id) => {
      const record = referrals.get(id);
      return record && structuredClone(record);
    },
    records: () => [...referrals.values()],

    createFromApi(input) {
      if (!input.customerProfile.address.country) {
        throw invalidRequest(
          "Invalid referral: 'customerProfile.address.country' is required.",
          'customerProfile.address.country',
        );
      }
      const at = clock();
      const { status: _status, substatus: _substatus, qualification, ...fields } = input;
      return save(
        {
          ...fields,
          id: ids.uuid(),
          engagementId: ids.uuid(),
          organizationId: partner.organizationId,
          organizationName: partner.organizationName,
          mpnId: partner.mpnId,
          createdDateTime: at,
          updatedDateTime: at,
          expirationDateTime: null,
          acceptedDateTime: at,
          closedDateTime: null,
          status: 'Active',
          substatus: 'Accepted',
          qualification: qualification ?? 'SalesQualified',
          direction: 'Outgoing',
          quality: 'Unknown',
          dealSensitivity: 'None',
          registrationStatus: 'None',
          trackingInfo: { microsoftMsxId: null },
        },
        'referral-created',
      );
    },

    replace(id, input, ifMatch) {
      const current = existing(id);
      checkEtag(current, ifMatch);
      return applyWritable(current, input);
    },

    patch(id, operations, ifMatch) {
      const current = existing(id);
      if (ifMatch !== undefined) checkEtag(current, ifMatch);
      for (const { path } of operations) {
        const head = (path[0] ?? '').toLowerCase();
        const pointer = `/${path.join('/')}`;
        if (READ_ONLY_PROPERTIES.some((name) => name.toLowerCase() === head)) {
          throw invalidRequest(`'${pointer}' is read-only and cannot be patched.`, pointer);
        }
        if (!WRITABLE_PROPERTIES.some((name) => name.toLowerCase() === head)) {
          throw invalidRequest(`'${pointer}' is not a patchable referral property.`, pointer);
        }
      }
      let patched: ReferralRecord;
      try {
        patched = applyJsonPatch(current, operations);
      } catch (error) {
        if (error instanceof JsonPatchError) throw invalidRequest(error.message, 'patch');
        throw error;
      }
      return applyWritable(current, parseReferralBody(patched));
    },

    createAs(input, author) {
      const at = clock();
      const base = generateReferral(generated, {
        now: now(),
        partner,
        direction: author === 'microsoft' ? 'Incoming' : 'Outgoing',
      });
      const given = normalizePropertyNames(input) as Record<string, unknown>;
      const merged = mergePatch(base, given) as ReferralRecord;
      const writable = parseReferralBody(merged);
      const { status, substatus, qualification, ...fields } = writable;
      const fresh: ReferralDraft = {
        ...base,
        ...fields,
        trackingInfo: trackingInfoOf(merged.trackingInfo, base.trackingInfo),
        id: typeof given.id === 'string' ? given.id : ids.uuid(),
        engagementId: typeof given.engagementId === 'string' ? given.engagementId : ids.uuid(),
        organizationId: partner.organizationId,
        organizationName: partner.organizationName,
        mpnId: partner.mpnId,
        qualification: qualification ?? base.qualification,
        direction: author === 'microsoft' ? 'Incoming' : 'Outgoing',
        createdDateTime: at,
        updatedDateTime: at,
        status: 'None',
        substatus: 'None',
        acceptedDateTime: null,
        closedDateTime: null,
        expirationDateTime: null,
      };
      if (referrals.has(fresh.id))
        throw invalidRequest(`A referral with id '${fresh.id}' already exists.`, 'id');
      const requested =
        author === 'partner'
          ? { status: 'Active' as const, substatus: 'Accepted' as const }
          : 'status' in given || 'substatus' in given
            ? {
                status: 'status' in given ? status : 'New',
                substatus: 'substatus' in given ? substatus : undefined,
              }
            : { status: 'New' as const, substatus: 'Pending' as const };
      const lifecycle = withStatus(fresh, requested, at);
      const expires = lifecycle.status === 'New' && author === 'microsoft';
      return save(
        {
          ...fresh,
          ...lifecycle,
          expirationDateTime: expires
            ? formatTimestamp((parseTimestamp(at) ?? ticksFromMs(now())) + ticksFromMs(EXPIRY_DAYS * DAY_MS))
            : null,
        },
        'referral-created',
      );
    },

    updateAsMicrosoft(id, changes) {
      const current = existing(id);
      const given = normalizePropertyNames(changes) as Record<string, unknown>;
      const merged = mergePatch(current, given) as ReferralRecord;
      const writable = parseReferralBody(merged);
      const expirationDateTime =
        'expirationDateTime' in given ? (merged.expirationDateTime ?? null) : current.expirationDateTime;
      if (expirationDateTime !== null && parseTimestamp(expirationDateTime) === undefined) {
        throw invalidRequest("'expirationDateTime' must be an ISO-8601 date-time.", 'expirationDateTime');
      }
      return applyWritable(
        {
          ...current,
          expirationDateTime,
          trackingInfo: trackingInfoOf(merged.trackingInfo, current.trackingInfo),
        },
        writable,
      );
    },

    generate(count) {
      return Array.from({ length: count }, () => {
        const draft = generateReferral(generated, { now: now(), partner });
        return save(draft, 'referral-created');
      });
    },

    expireDue() {
      const nowTicks = ticksFromMs(now());
      if (earliestExpiry === undefined || earliestExpiry > nowTicks) return [];
      earliestExpiry = undefined;
      const expired: ReferralRecord[] = [];
      for (const record of [...referrals.values()]) {
        const expiry =
          record.status === 'New' && record.expirationDateTime
            ? parseTimestamp(record.expirationDateTime)
            : undefined;
        if (expiry === undefined) continue;
        if (expiry > nowTicks) {
          if (earliestExpiry === undefined || expiry < earliestExpiry) earliestExpiry = expiry;
          continue;
        }
        const at = clock();
        expired.push(
          save(
            {
              ...withoutEtag(record),
              status: 'Closed',
              substatus: 'Expired',
              closedDateTime: at,
              updatedDateTime: at,
            },
            'referral-updated',
          ),
        );
      }
      return expired;
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function withoutEtag(record: ReferralRecord): ReferralDraft {
  const { eTag: _eTag, ...draft } = record;
  return draft;
}

/** Microsoft's CRM references: an object of string-or-null values; anything else keeps the fallback. */
function trackingInfoOf(
  value: unknown,
  fallback: ReferralRecord['trackingInfo'],
): ReferralRecord['trackingInfo'] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fallback;
  const entries = Object.entries(value).filter(([, v]) => v === null || typeof v === 'string');
  return Object.fromEntries(entries) as ReferralRecord['trackingInfo'];
}
