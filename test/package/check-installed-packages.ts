/**
 * The release check CI runs (`node test/package/check-installed-packages.ts`, from .ci/run): packs the
 * connector and the emulators as a release would, checks what the tarballs hold (packed-contents.ts),
 * installs both into an empty folder with nothing from this repository (`npm install
 * ./referral-connector-*.tgz`), and runs the installed, compiled connector: `--help`, `--version`,
 * `emulate` (up to its JSON line), `demo --referrals 20 --exit --json` (20 leads, no duplicate), and
 * `demo` once more without the emulators, which must say what to install. Exits 1 at the first failure.
 * Not a vitest test: it packs, builds and installs from the registry (~1 min), which `npm test` should
 * not pay on every run.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Manifest, type Packed, packageImports, packageProblems } from './packed-contents.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EMULATORS_DIR = join(ROOT, 'packages/emulators');
// The installed packages must not see this repository's way of running its sources (NODE_OPTIONS could
// carry its `referral-connector-source` condition).
const { NODE_OPTIONS: _ignored, ...ENV } = process.env;

type Output = { stdout: string; stderr: string };

class CheckFailed extends Error {}

async function run(command: string, options: { cwd: string; timeoutMs?: number }): Promise<Output> {
  try {
    return await promisify(execFile)('sh', ['-c', command], {
      cwd: options.cwd,
      env: ENV,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 180_000,
    });
  } catch (error) {
    const { stdout, stderr, code } = error as Output & { code?: unknown };
    throw new CheckFailed(`\`${command}\` failed (${String(code)}):\n${stderr}${stdout}`);
  }
}

async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await action();
  process.stdout.write(`ok   ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new CheckFailed(message);
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

async function pack(dir: string, destination: string): Promise<Packed> {
  const { stdout } = await run(`npm pack --json --pack-destination ${destination}`, { cwd: dir });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  return { manifest: manifest(dir), files: packed.files.map((file) => file.path) };
}

/** The packages the connector's own sources import (src/, tests and test support left out). */
function connectorImports(): Set<string> {
  const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('test-support.ts'),
  );
  return new Set(sources.flatMap((file) => packageImports(readFileSync(join(ROOT, 'src', file), 'utf8'))));
}

/** Starts `emulate`, reads its one JSON line, and stops it with everything npx started. */
async function emulateAnnouncement(cwd: string): Promise<Record<string, unknown>> {
  const child: ChildProcess = spawn('sh', ['-c', 'npx referral-connector emulate'], {
    cwd,
    env: ENV,
    detached: true, // its own process group: npx, npm exec and the emulators stop together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const first = await Promise.race([
      once(lines, 'line').then(([line]) => line as string),
      exited.then(() => {
        throw new CheckFailed(`emulate exited before announcing itself:\n${stderr}`);
      }),
      new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new CheckFailed(`emulate said nothing in 60 s:\n${stderr}`)), 60_000).unref(),
      ),
    ]);
    return JSON.parse(first) as Record<string, unknown>;
  } finally {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rc-installed-'));
  // A package.json of its own, so that npm installs here rather than into a project found above.
  writeFileSync(join(work, 'package.json'), '{ "name": "installed-check", "private": true }\n');
  try {
    const [connector, emulators] = await step('npm pack (connector and emulators)', () =>
      Promise.all([pack(ROOT, work), pack(EMULATORS_DIR, work)]),
    );
    await step('tarball contents (no emulator code in the connector, compiled entry points)', async () => {
      const problems = packageProblems(connector, emulators, connectorImports());
      check(problems.length === 0, problems.join('\n'));
    });
    await step('npm install ./referral-connector-*.tgz into an empty folder', () =>
      run('npm install --no-audit --no-fund --prefer-offline ./referral-connector-*.tgz', { cwd: work }),
    );
    // npx runs the installed bin; were it missing, npx would fetch whatever the registry holds by that name.
    check(existsSync(join(work, 'node_modules/.bin/referral-connector')), 'npm install linked no bin');
    await step('npx referral-connector --help', async () => {
      const { stdout } = await run('npx referral-connector --help', { cwd: work });
      check(
        /^ {2}demo\b/m.test(stdout) && /^ {2}emulate\b/m.test(stdout),
        `--help lists no demo/emulate:\n${stdout}`,
      );
    });
    await step('npx referral-connector --version', async () => {
      const { stdout } = await run('npx referral-connector --version', { cwd: work });
      check(stdout.trim() === connector.manifest.version, `--version printed ${stdout.trim()}`);
    });
    await step('npx referral-connector emulate (first JSON line)', async () => {
      const announced = await emulateAnnouncement(work);
      check(typeof announced.control === 'string', `emulate announced ${JSON.stringify(announced)}`);
    });
    await step('npx referral-connector demo --referrals 20 --exit --json', async () => {
      const { stdout } = await run('npx referral-connector demo --referrals 20 --exit --json', {
        cwd: work,
      });
      const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      check(
        summary.leads === 20 && summary.duplicateLeads === 0 && summary.converged === true,
        `demo summary: ${stdout}`,
      );
    });
    await step('demo without the emulators says what to install', async () => {
      renameSync(join(work, 'node_modules/@referral-connector'), join(work, 'emulators-removed'));
      const failure = await run('npx referral-connector demo --referrals 1 --exit', { cwd: work }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      check(
        failure?.message.includes('needs the emulators') === true &&
          failure.message.includes('@referral-connector/emulators'),
        `demo without the emulators: ${failure?.message ?? 'succeeded'}`,
      );
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stdout.write(
    `FAILED ${error instanceof CheckFailed ? error.message : ((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
}
