import type { SQLOutputValue } from 'node:sqlite';
import type { ReferralKey } from '../../core/domain.ts';

/** A row as node:sqlite returns it. */
export type Row = Record<string, SQLOutputValue>;

// Readers that fail loudly when a column holds what the schema forbids: that is a bug, not data.

export function textOf(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new TypeError(`column ${column} is not text`);
  return value;
}

/** A `referral_id` column: every write goes through a `ReferralKey`, so it reads back as one. */
export function referralKeyOf(row: Row, column: string): ReferralKey {
  return textOf(row, column) as ReferralKey;
}

export function optionalTextOf(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  return textOf(row, column);
}

export function integerOf(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number') throw new TypeError(`column ${column} is not an integer`);
  return value;
}

export function optionalIntegerOf(row: Row, column: string): number | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  return integerOf(row, column);
}

export function blobOf(row: Row, column: string): Uint8Array {
  const value = row[column];
  if (!(value instanceof Uint8Array)) throw new TypeError(`column ${column} is not a blob`);
  return value;
}
