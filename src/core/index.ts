export * from './domain.ts';
export * from './lead.ts';
export * from './referral-status.ts';
export * from './utc-instant.ts';
