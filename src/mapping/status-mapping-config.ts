/**
 * The `mapping.status` section checked entry by entry, so one configuration error names every bad
 * phase, status pair, target and every row Partner Center would never allow.
 */
import { closestKey } from '../config/closest-key.ts';
import { LEAD_PHASES } from '../core/lead.ts';
import { STATUS_PAIR_KEYS } from '../core/referral-status.ts';
import type { MappingProblem } from './mapping-sources.ts';
import {
  defaultStatusTable,
  describeStatusMappingProblem,
  findStatusMappingProblems,
  type StatusMappingOverrides,
  type StatusMappingRow,
  type StatusMappingTable,
  type StatusTarget,
} from './status-mapping.ts';

const SECTION_KEYS = ['table', 'crmStatus', 'reasons', 'writeStatusReason', 'replaceExternalReferenceId'];
const TARGETS = [...STATUS_PAIR_KEYS, 'keep'];

export function checkStatusMappingConfig(raw: Record<string, unknown>): {
  value: StatusMappingOverrides;
  problems: MappingProblem[];
} {
  const problems: MappingProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!SECTION_KEYS.includes(key))
      problems.push({ path: [key], problem: notOneOf(key, SECTION_KEYS, 'a key of mapping.status') });
  }
  // Rows are kept with their well-formed entries only, so the moves they make are checked too.
  const table: Record<string, StatusMappingRow> = {};
  for (const [phase, row] of Object.entries(objectAt(raw, 'table', problems))) {
    if (!(LEAD_PHASES as readonly string[]).includes(phase)) {
      problems.push({ path: ['table', phase], problem: notOneOf(phase, LEAD_PHASES, 'a lead phase') });
      continue;
    }
    table[phase] = checkRow(row, ['table', phase], problems);
  }
  const crmStatus: Record<string, StatusMappingRow> = {};
  for (const [status, row] of Object.entries(objectAt(raw, 'crmStatus', problems)))
    crmStatus[status] = checkRow(row, ['crmStatus', status], problems);
  for (const [status, reason] of Object.entries(objectAt(raw, 'reasons', problems))) {
    if (typeof reason !== 'string' || reason.trim() === '')
      problems.push({
        path: ['reasons', status],
        problem: 'must be the reason text written to the referral',
      });
  }
  for (const flag of ['writeStatusReason', 'replaceExternalReferenceId']) {
    if (flag in raw && typeof raw[flag] !== 'boolean')
      problems.push({ path: [flag], problem: 'must be true or false' });
  }

  const merged = Object.fromEntries(
    LEAD_PHASES.map((phase) => [phase, { ...defaultStatusTable[phase], ...table[phase] }]),
  ) as unknown as StatusMappingTable;
  // Only the rows written here can be wrong: the default table is checked by its own test.
  for (const problem of findStatusMappingProblems(merged, crmStatus)) {
    const written = problem.phase
      ? table[problem.phase]?.[problem.from] !== undefined
      : crmStatus[problem.crmStatus as string]?.[problem.from] !== undefined;
    if (!written) continue;
    problems.push({
      path: problem.phase
        ? ['table', problem.phase, problem.from]
        : ['crmStatus', problem.crmStatus as string, problem.from],
      problem: describeStatusMappingProblem(problem),
    });
  }
  return problems.length > 0 ? { value: {}, problems } : { value: raw as StatusMappingOverrides, problems };
}

function checkRow(row: unknown, at: string[], problems: MappingProblem[]): StatusMappingRow {
  if (!isRecord(row)) {
    problems.push({ path: at, problem: 'must map referral status pairs (New/Pending, …) to targets' });
    return {};
  }
  const valid: Record<string, StatusTarget> = {};
  for (const [pair, target] of Object.entries(row)) {
    if (!(STATUS_PAIR_KEYS as readonly string[]).includes(pair)) {
      problems.push({
        path: [...at, pair],
        problem: notOneOf(pair, STATUS_PAIR_KEYS, 'a referral status pair'),
      });
    } else if (typeof target !== 'string' || !TARGETS.includes(target)) {
      problems.push({
        path: [...at, pair],
        problem: notOneOf(String(target), TARGETS, 'a target (a status pair, or keep)'),
      });
    } else {
      valid[pair] = target as StatusTarget;
    }
  }
  return valid;
}

function objectAt(
  raw: Record<string, unknown>,
  key: string,
  problems: MappingProblem[],
): Record<string, unknown> {
  const value = raw[key];
  if (value === undefined || value === null) return {};
  if (isRecord(value)) return value;
  problems.push({ path: [key], problem: 'must be a mapping of keys' });
  return {};
}

function notOneOf(value: string, allowed: readonly string[], what: string): string {
  const meant = closestKey(value, allowed);
  return `"${value}" is not ${what}${meant ? ` (did you mean ${meant}?)` : ''}; one of ${allowed.join(', ')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
