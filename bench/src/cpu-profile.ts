import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The parts of V8's `.cpuprofile` JSON read here. */
type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
};
type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
};

export type HotFunction = {
  name: string;
  /** file:line, relative to the repo (node_modules paths shortened to the package). */
  location: string;
  selfMs: number;
  /** Share of the profile's busy (non-idle) time. */
  share: number;
};

export type ProfileSummary = {
  file: string;
  totalMs: number;
  busyMs: number;
  idleMs: number;
  gcMs: number;
  programMs: number;
  functions: HotFunction[];
  /** Self time per package / source area (openai, hono, router-core, node internals, …). */
  modules: { module: string; selfMs: number; share: number }[];
  /**
   * The same with the time of Node internals and native code charged to the nearest calling
   * package or workspace folder: who caused the work (socket writes by the openai SDK's
   * requests, say), not where it ran.
   */
  owners: { module: string; selfMs: number; share: number }[];
};

const META = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** `node_modules/@hono/node-server/dist/…` → `@hono/node-server`; repo files by workspace. */
export const moduleOf = (url: string, repoRoot: string): string => {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? path);
  }
  const rel = relative(repoRoot, path);
  if (rel.startsWith('..')) return path;
  const [top, second] = rel.split('/');
  return top === 'regional' || top === 'router-core'
    ? `${top}/${second === 'src' ? rel.split('/')[2] : second}`
    : (top ?? rel);
};

const locationOf = (frame: ProfileNode['callFrame'], repoRoot: string): string => {
  if (frame.url === '') return '';
  const path = frame.url.startsWith('file://')
    ? decodeURIComponent(new URL(frame.url).pathname)
    : frame.url;
  const nm = path.lastIndexOf('/node_modules/');
  const shown = nm >= 0 ? path.slice(nm + '/node_modules/'.length) : relative(repoRoot, path);
  return `${shown}:${frame.lineNumber + 1}`;
};

/** Self time per function (by name and location) and per module, from sample time deltas. */
export const summarizeProfile = (file: string, repoRoot: string, top = 25): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the delta to the next sample (V8 records the delta before each sample).
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    const us = deltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, us));
  }
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const isRuntime = (module: string) => module === 'node internals' || module === '(native / V8)';
  const ownerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node === undefined || node.callFrame.functionName === '(root)') break;
      const module = moduleOf(node.callFrame.url, repoRoot);
      if (!isRuntime(module)) return module;
    }
    return 'node internals (event loop, no package on the stack)';
  };
  /** Native code has no location: name the JS function that called it instead. */
  const nativeCaller = (id: number): string => {
    const up = parent.get(id);
    const caller = up === undefined ? undefined : byId.get(up);
    if (caller === undefined || caller.callFrame.url === '') return '';
    return `(native, from ${caller.callFrame.functionName || '(anonymous)'} ${locationOf(caller.callFrame, repoRoot)})`;
  };
  const fns = new Map<string, HotFunction>();
  const modules = new Map<string, number>();
  const owners = new Map<string, number>();
  let idleMs = 0;
  let gcMs = 0;
  let programMs = 0;
  let totalMs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const ms = us / 1000;
    totalMs += ms;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') idleMs += ms;
    else if (name === '(garbage collector)') gcMs += ms;
    else if (name === '(program)') programMs += ms;
    if (META.has(name)) continue;
    const location = locationOf(node.callFrame, repoRoot) || nativeCaller(id);
    const key = `${name}@${location}`;
    const entry = fns.get(key) ?? { name, location, selfMs: 0, share: 0 };
    entry.selfMs += ms;
    fns.set(key, entry);
    const module = moduleOf(node.callFrame.url, repoRoot);
    modules.set(module, (modules.get(module) ?? 0) + ms);
    const owner = ownerOf(id);
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
  }
  const busyMs = totalMs - idleMs;
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);
  for (const table of [modules, owners]) {
    table.set('(garbage collector)', gcMs);
    table.set('(program: V8 / native outside JS)', programMs);
  }
  const ranked = (table: Map<string, number>) =>
    [...table.entries()]
      .map(([module, selfMs]) => ({ module, selfMs, share: share(selfMs) }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return {
    file: relative(repoRoot, file),
    totalMs,
    busyMs,
    idleMs,
    gcMs,
    programMs,
    functions: [...fns.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((f) => ({ ...f, share: share(f.selfMs) })),
    modules: ranked(modules),
    owners: ranked(owners),
  };
};

/** The newest `.cpuprofile` in `dir`, if any. */
export const newestProfile = (dir: string): string | undefined => {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  } catch {
    return undefined;
  }
};
