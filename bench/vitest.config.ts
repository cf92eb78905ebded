import { defineConfig } from 'vitest/config';

/** The root config collects src/ and test/ only; the harness's own unit tests run with this one. */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['bench/**/*.test.ts'],
  },
});
