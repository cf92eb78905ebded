// The memory settings the connector runs with unless the operator chooses their own: two V8 heap
// flags and one glibc malloc setting. bin/referral-connector.js starts Node with them for the commands
// that run the connector; the benchmarks give every connector the same.
//
// V8 sizes its heap from the machine's memory: on a 24 GB machine it lets a busy connector's young
// generation grow to 3 × 32 MB and its old generation to up to four times the live data before it
// collects, so 30–60 MB of live data sat in 300–380 MB of RSS (bench/README.md). These two flags are
// soft: they change when V8 collects, not how much it may hold, so they cannot make the process run out
// of heap. Measured on the benchmarks (2 cores): peak RSS 146–164 MB instead of 290–380 MB, for about
// 13 % more CPU in the busiest scenario.
// - a semi-space of at most 4 MB: young garbage is collected every few MB instead of every 32;
// - the old generation may grow 30 % past the live data before a full collection (V8 picks 10–300 %).
export const HEAP_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=30'];

// Starting Node again costs ~0.1 s (measured here): only worth it for the commands that keep running.
export const CONNECTOR_COMMANDS = ['serve', 'demo'];

// The operator's own heap settings win: any of these on the command line or in NODE_OPTIONS and the
// connector adds none of its own.
const OPERATOR_HEAP_FLAGS = [
  '--max-semi-space-size',
  '--max-old-space-size',
  '--max-heap-size',
  '--heap-growing-percent',
  '--optimize-for-size',
];

/**
 * The flags to start Node with: none when the process already runs with them or the operator set
 * heap flags of their own.
 * @param {readonly string[]} execArgv this process's Node flags
 * @param {string | undefined} nodeOptions the NODE_OPTIONS environment variable
 * @returns {string[]}
 */
export function heapFlagsToAdd(execArgv, nodeOptions) {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map(
    (flag) => flag.split('=')[0]?.replaceAll('_', '-') ?? '',
  );
  return OPERATOR_HEAP_FLAGS.some((flag) => given.includes(flag)) ? [] : [...HEAP_FLAGS];
}

// glibc's malloc gives each thread that allocates an arena of its own, up to 8 per core; Node's threads
// (libuv's pool, V8's GC and compiler workers) each kept megabytes in theirs. Two arenas: peak RSS
// 137-146 MB instead of 151-154 MB in the quick e2e and backlog benchmarks, no CPU cost measured.
// Ignored by other C libraries (musl, macOS, Windows).
export const MALLOC_ENV = { MALLOC_ARENA_MAX: '2' };

/**
 * The environment variables to add: none that the operator set already.
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {Record<string, string>}
 */
export function mallocEnvToAdd(env) {
  return Object.fromEntries(Object.entries(MALLOC_ENV).filter(([name]) => env[name] === undefined));
}
