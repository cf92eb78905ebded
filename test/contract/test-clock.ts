/**
 * The fake clock now lives in the test kit; this re-export remains only for
 * src/store/sqlite/sqlite-store.test.ts until it imports `@referral-connector/test-kit` itself.
 */
export { createTestClock, type TestClock } from '@referral-connector/test-kit';
