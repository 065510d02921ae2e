import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /**
   * Time by where the code lives (an npm package, a file of ours), with time spent in node internals and native code
   * charged to the nearest package or file up the stack that called it (a socket write by kafkajs counts as kafkajs).
   */
  byOwner: Array<{ owner: string; ms: number; share: number }>;
  /** The functions with the most self time. */
  topFunctions: Array<{ fn: string; ms: number; share: number }>;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Who owns a frame: `kafkajs`, `@opentelemetry/*`, `apps/dispatcher/src/…`, `node internals`, `(garbage collector)`. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName === '(root)' ? '(native callbacks from the event loop)' : functionName.startsWith('(') ? functionName : '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = clean.slice(nm + 'node_modules/'.length).split('/');
    // Scopes with many small packages read better as one line.
    if (parts[0] === '@opentelemetry' || parts[0] === '@nestjs') return `${parts[0]}/*`;
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (clean.startsWith('node:')) return 'node internals';
  if (clean.startsWith(ROOT)) return path.relative(ROOT, clean);
  return clean;
}

/** Self time per owner and per function of a V8 .cpuprofile. */
export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalSamples = profile.samples.length || 1;
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / totalSamples;
  const counts = new Map<number, number>();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const generic = new Set(['node internals', '(native)']);
  const chargedOwner = (node: ProfileNode): string => {
    let cur: ProfileNode | undefined = node;
    while (cur) {
      const owner = ownerOf(cur.callFrame.url, cur.callFrame.functionName);
      if (!generic.has(owner)) return owner;
      const up = parent.get(cur.id);
      cur = up === undefined ? undefined : byId.get(up);
    }
    return ownerOf(node.callFrame.url, node.callFrame.functionName);
  };
  const byOwner = new Map<string, number>();
  const byFn = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const n = counts.get(node.id) ?? 0;
    if (!n) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busy += n;
    const owner = ownerOf(url, functionName);
    const charged = chargedOwner(node);
    byOwner.set(charged, (byOwner.get(charged) ?? 0) + n);
    const fn = `${functionName || '(anonymous)'} — ${owner}${url && !url.includes('node_modules') && !url.startsWith('node:') ? `:${lineNumber + 1}` : ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + n);
  }
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    file,
    totalMs: busy * msPerSample,
    byOwner: rank(byOwner).map(([owner, n]) => ({ owner, ms: n * msPerSample, share: n / busy })),
    topFunctions: rank(byFn).map(([fn, n]) => ({ fn, ms: n * msPerSample, share: n / busy })),
  };
}

/** Summaries of the profiles in `dir` named <service>.cpuprofile. */
export function summarizeProfiles(dir: string): Record<string, ProfileSummary> {
  const out: Record<string, ProfileSummary> = {};
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    out[f.replace(/\.cpuprofile$/, '')] = summarizeProfile(path.join(dir, f));
  }
  return out;
}
