import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);

// Loaded before the CLI: records every module URL the process loads and prints them as it exits.
const RECORD_LOADS = `data:text/javascript,${encodeURIComponent(`
  import { registerHooks } from 'node:module';
  const loaded = [];
  registerHooks({ load: (url, context, nextLoad) => { loaded.push(url); return nextLoad(url, context); } });
  process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(loaded) + '\\n'));
`)}`;

async function modulesLoadedBy(args: string[]): Promise<{ stdout: string; loaded: string[] }> {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', RECORD_LOADS, 'bin/referral-connector.js', ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const line = stderr.split('\n').find((text) => text.startsWith('LOADED '));
  return { stdout, loaded: JSON.parse(line?.slice('LOADED '.length) ?? '[]') as string[] };
}

const fromEmulatorsOrDemo = (url: string) => url.includes('/packages/emulators/') || url.includes('/demo/');

describe('emulate and demo', () => {
  it.each(['--version', '--help', 'status --help'])('are not loaded by `%s`', async (command) => {
    const { stdout, loaded } = await modulesLoadedBy(command.split(' '));
    expect(stdout).not.toBe('');
    expect(loaded.some((url) => url.endsWith('/src/main.ts'))).toBe(true);
    expect(loaded.filter(fromEmulatorsOrDemo)).toEqual([]);
  });

  it('are listed by --help all the same', async () => {
    const { stdout } = await modulesLoadedBy(['--help']);
    expect(stdout).toMatch(/^ {2}emulate\b/m);
    expect(stdout).toMatch(/^ {2}demo\b/m);
  });

  it('load their module when they run, and show its options', async () => {
    const demo = await modulesLoadedBy(['demo', '--help']);
    expect(demo.loaded.some((url) => url.endsWith('/demo/demo-command.ts'))).toBe(true);
    expect(demo.stdout).toContain('--referrals <n>');

    const emulate = await modulesLoadedBy(['emulate', '--help']);
    expect(emulate.loaded.some((url) => url.includes('/packages/emulators/src/'))).toBe(true);
    expect(emulate.stdout).toContain('--write-config <file>');
  });
});
