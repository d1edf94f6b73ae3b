/**
 * Summarize a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_CPU_PROF=DIR npm run bench):
 * self time by function and by file, top entries first.
 * Run: node dist/bench/profile-summary.js DIR/CPU.*.cpuprofile [top=25] [exclude=fnA,fnB]
 * `exclude` drops every sample with one of those function names on its stack (e.g. startup work:
 * ensureTlsMaterial), and the idle samples, so the shares are of the busy time that remains.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summarize(profile: Profile, top = 25, exclude: string[] = []): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const excluded = (id: number): boolean => {
    if (exclude.length === 0) return false;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return true;
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) if (exclude.includes(byId.get(at)!.callFrame.functionName)) return true;
    return false;
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    if (!excluded(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/') || '(native/V8)';
    const name = `${frame.functionName || '(anonymous)'} ${file}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const table = (title: string, map: Map<string, number>) =>
    [`${title} (self time, % of ${(total / 1e6).toFixed(1)} s sampled, ${((100 * idle) / total).toFixed(1)}% idle)`]
      .concat([...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`))
      .join('\n');
  // Inclusive time of crossbucket's own functions (each counted once per sample, recursion or not).
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!frame.url.includes('/dist/src/')) continue;
      const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/dist\//, '')}:${frame.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  return `${table('by function', byFunction)}\n\n${table('by file', byFile)}\n\n${table('crossbucket functions, inclusive', inclusive)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/profile-summary.js PROFILE.cpuprofile [top]');
  const exclude = process.argv[4] ? process.argv[4].split(',') : [];
  process.stdout.write(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25), exclude) + '\n');
}
