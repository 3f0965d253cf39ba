// `npx tsx bench/profile-workers.ts [query]`: the benchmark page with CPU profiles of its Workers (CDP,
// an unminified build): runs the page's benchmark with `query` (e.g. parallelism=2&kills=0&repeats=1&figures=throughput)
// and prints each Worker's busiest functions by self time, and by inclusive time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../tests/chromium.ts';

interface CpuProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: CpuProfileNode[]; samples?: number[]; timeDeltas?: number[] }

const PORT = Number(process.env.BENCH_PORT ?? 4175);
const query = process.argv.slice(2).join('&');
const outDir = `bench/dist-profile-${process.pid}`;
await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: false, rollupOptions: { input: 'bench/index.html' } } });
const server = await preview({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: PORT, strictPort: true } });
const profileDir = mkdtempSync(join(tmpdir(), 'barrierscope-profile-'));
const context = await chromium.launchPersistentContext(profileDir, { headless: true, ...chromiumLaunchOptions });
try {
  const page = await context.newPage();
  page.on('console', (message) => console.log(`  ${message.text()}`));
  const cdp = await context.newCDPSession(page);
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const workers = new Map<string, string>(); // sessionId -> title
  const send = (sessionId: string, method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      // A terminated Worker's session is gone: its answer never comes (collect() does not wait for it).
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => resolve(null));
    });
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  cdp.on('Target.attachedToTarget', (event: { sessionId: string; targetInfo: { type: string; title: string; url: string } }) => {
    if (event.targetInfo.type !== 'worker') return;
    workers.set(event.sessionId, event.targetInfo.title || event.targetInfo.url);
    void send(event.sessionId, 'Profiler.enable').then(() => send(event.sessionId, 'Profiler.setSamplingInterval', { interval: 200 })).then(() => send(event.sessionId, 'Profiler.start'));
    void send(event.sessionId, 'Runtime.runIfWaitingForDebugger');
  });
  cdp.on('Target.detachedFromTarget', (event: { sessionId: string }) => workers.delete(event.sessionId));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  await page.goto(`http://127.0.0.1:${PORT}/bench/index.html${query ? `?${query}` : ''}`);
  // Workers of a stopped job are terminated: profile while the last throughput run is going, stop them at its end.
  const profiles = new Map<string, CpuProfile>();
  const collect = async () => {
    for (const [sessionId, title] of workers) {
      if (profiles.has(title)) continue;
      const result = (await Promise.race([send(sessionId, 'Profiler.stop'), new Promise((r) => setTimeout(() => r(null), 500))])) as { profile: CpuProfile } | null;
      if (result) profiles.set(`${title} ${sessionId.slice(0, 6)}`, result.profile);
    }
  };
  await page.waitForFunction(() => (window as unknown as { __benchProfileNow?: boolean }).__benchProfileNow === true || (window as unknown as { __benchResult?: unknown }).__benchResult !== undefined, null, { timeout: 30 * 60_000, polling: 100 });
  await collect();
  await page.evaluate(() => ((window as unknown as { __benchProfileTaken?: boolean }).__benchProfileTaken = true));
  const main = ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile;
  profiles.set('main thread', main);
  for (const [title, profile] of profiles) print(title, profile);
  writeFileSync('/tmp/worker-profiles.json', JSON.stringify(Object.fromEntries(profiles)));
} finally {
  await context.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
}

function print(title: string, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (node: CpuProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const dt = profile.timeDeltas?.[i] ?? 0;
    total += dt;
    const node = byId.get(id)!;
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = name(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, t]) => `  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`).join('\n');
  console.log(`\n== ${title}: ${(total / 1000).toFixed(0)} ms sampled\nself:\n${top(self, 25)}\ninclusive:\n${top(inclusive, 30)}`);
}
