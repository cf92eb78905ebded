/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per area
 * (a package under node_modules, a folder of src/, Node internals, GC, idle), so a missed target can
 * be explained by where the connector's time went.
 */
import { readFileSync } from 'node:fs';

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

export type ProfileLine = { name: string; selfMs: number; share: number };
export type ProfileSummary = {
  totalMs: number;
  /** Share of samples not idle: how busy the connector's main thread was. */
  busyShare: number;
  areas: ProfileLine[];
  functions: ProfileLine[];
};

export function summarizeCpuProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === '(idle)') idleUs += us;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), share: us / Math.max(1, totalUs) }));
  return {
    totalMs: Math.round(totalUs / 1000),
    busyShare: (totalUs - idleUs) / Math.max(1, totalUs),
    areas: lines(areas),
    functions: lines(functions),
  };
}

/** The compiled connector lives under node_modules/.cache; its files are named by their source path. */
function sourcePath(url: string): string {
  return url.replace(/^.*\/referral-connector-bench\//, '/');
}

function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const path = sourcePath(url);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg?.[1]) return pkg[1];
  const source = /\/(src|bench)\/([^/]+)/.exec(path);
  if (source) return `${source[1]}/${source[2]}`;
  if (path.startsWith('node:')) return `node:${path.slice(5).split('/')[0]}`;
  return path;
}

function shortUrl(url: string): string {
  const path = sourcePath(url);
  const at = path.search(/\/(src|bench|node_modules)\//);
  return at >= 0 ? path.slice(at + 1) : path;
}

export function formatProfile(summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  return [
    `  sampled ${summary.totalMs} ms, main thread busy ${pct(summary.busyShare)}`,
    '  by area (self time):',
    ...summary.areas.map((line) => `    ${pct(line.share).padStart(6)}  ${line.selfMs} ms  ${line.name}`),
    '  top functions (self time):',
    ...summary.functions.map((line) => `    ${pct(line.share).padStart(6)}  ${line.selfMs} ms  ${line.name}`),
  ].join('\n');
}
