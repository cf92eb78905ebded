import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HEAP_FLAGS, heapFlagsToAdd, MALLOC_ENV, mallocEnvToAdd } from '../../bin/memory-settings.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PATH = `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`;

describe('heapFlagsToAdd', () => {
  it('adds the heap flags to a plain start', () => {
    expect(heapFlagsToAdd([], undefined)).toEqual(HEAP_FLAGS);
    expect(heapFlagsToAdd(['--inspect'], '--enable-source-maps')).toEqual(HEAP_FLAGS);
  });

  it('adds nothing once the process runs with them (the relaunched process)', () => {
    expect(heapFlagsToAdd([...HEAP_FLAGS], undefined)).toEqual([]);
  });

  it("leaves the heap to the operator's own flags, on the command line or in NODE_OPTIONS", () => {
    expect(heapFlagsToAdd(['--max-old-space-size=512'], undefined)).toEqual([]);
    expect(heapFlagsToAdd([], '--enable-source-maps  --max-semi-space-size=16')).toEqual([]);
    expect(heapFlagsToAdd([], '--max_old_space_size=256')).toEqual([]);
    expect(heapFlagsToAdd(['--optimize-for-size'], '')).toEqual([]);
  });
});

describe('mallocEnvToAdd', () => {
  it("adds glibc's arena limit unless the operator set it", () => {
    expect(mallocEnvToAdd({})).toEqual(MALLOC_ENV);
    expect(mallocEnvToAdd({ MALLOC_ARENA_MAX: '4' })).toEqual({});
  });
});

// The launcher replaces itself (same pid) with a Node started with the settings; /proc shows them.
describe.runIf(process.platform === 'linux')('bin/referral-connector.js', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  async function start(
    command: string[],
    env: NodeJS.ProcessEnv,
  ): Promise<{ args: string[]; env: string[] }> {
    const launched = spawn('node', ['bin/referral-connector.js', ...command], {
      cwd: ROOT,
      env: { ...process.env, PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = launched;
    const stdout = launched.stdout;
    if (!stdout) throw new Error('no stdout');
    await new Promise<void>((resolve, reject) => {
      launched.once('exit', (code) => reject(new Error(`${command[0]} exited with ${code}`)));
      createInterface({ input: stdout }).once('line', () => resolve());
    });
    const read = (file: string) =>
      readFileSync(`/proc/${launched.pid}/${file}`, 'utf8')
        .split('\0')
        .filter((item) => item !== '');
    return { args: read('cmdline'), env: read('environ') };
  }

  const DEMO = ['demo', '--referrals', '1'];

  it('runs the connector with the memory settings, in the process it was started as', async () => {
    const { args, env } = await start(DEMO, { NODE_OPTIONS: '', MALLOC_ARENA_MAX: undefined });
    expect(args).toEqual(expect.arrayContaining(HEAP_FLAGS));
    expect(args.slice(-3)).toEqual(DEMO);
    expect(env).toContain('MALLOC_ARENA_MAX=2');
  });

  it("keeps to the operator's own heap flags in NODE_OPTIONS and malloc setting", async () => {
    const { args, env } = await start(DEMO, {
      NODE_OPTIONS: '--max-old-space-size=512',
      MALLOC_ARENA_MAX: '8',
    });
    for (const flag of HEAP_FLAGS) expect(args).not.toContain(flag);
    expect(env).toContain('MALLOC_ARENA_MAX=8');
  });

  it('starts no second Node for commands that do not run the connector', async () => {
    const { args, env } = await start(['emulate', '--port', '0'], {
      NODE_OPTIONS: '',
      MALLOC_ARENA_MAX: undefined,
    });
    for (const flag of HEAP_FLAGS) expect(args).not.toContain(flag);
    expect(env.some((variable) => variable.startsWith('MALLOC_ARENA_MAX='))).toBe(false);
  });
});
