// `npm run bench:ui`: how smoothly the page draws a busy job. Builds the page as users get it, opens it in
// Debian's headless Chromium at parallelism 4 with a high source rate (several hundred records in flight),
// records every animation frame's duration for a while, and counts what is drawn. Writes
// bench/results/ui.json and prints a summary. Measured, never asserted: these machines are shared and noisy.
//
//   npm run bench:ui                      # defaults below
//   npm run bench:ui -- rate=800 seconds=20 runtime=deterministic
//   npm run bench:ui -- profile=1         # also prints the main thread's busiest functions (CPU profile)
//   npm run bench:ui -- dist=/tmp/old     # serve a page built elsewhere (e.g. an older commit), for an A/B
import { mkdirSync, writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../tests/chromium.ts';

const PORT = 4175;
const options = Object.fromEntries(process.argv.slice(2).map((argument) => argument.split('=') as [string, string]));
const known = new Set(['rate', 'seconds', 'runtime', 'parallelism', 'profile', 'dist']);
for (const name of Object.keys(options)) if (!known.has(name)) throw new Error(`Unknown option '${name}' (known: ${[...known].join(', ')})`);
const rate = Number(options.rate ?? 400);
const seconds = Number(options.seconds ?? 15);
const parallelism = Number(options.parallelism ?? 4);
const runtime = options.runtime ?? 'worker';
if (!(rate > 0) || !(seconds > 0) || !Number.isInteger(parallelism) || parallelism < 1) throw new Error('rate and seconds must be positive and parallelism a positive whole number');

const outDir = options.dist ?? 'bench/dist-ui';
// A profile needs the functions' names: that build is not minified.
if (options.dist === undefined) await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true, ...(options.profile === '1' ? { minify: false } : {}) } });
const server = await preview({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: PORT, strictPort: true } });
const browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const url = `http://127.0.0.1:${PORT}/?runtime=${runtime}&parallelism=${parallelism}&rate=${rate}&storage=memory`;
  // tsx keeps function names with a `__name` helper the page does not have; give it one for page.evaluate.
  await page.addInitScript('globalThis.__name = (target) => target;');
  await page.goto(url);
  await page.locator('[data-view="job-graph"] [data-task-id]').first().waitFor({ timeout: 120_000 });
  // Let the job warm up (Workers started, queues filled) before measuring.
  await page.waitForTimeout(3_000);
  const profiler = options.profile === '1' ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.start');
  }
  const result = await page.evaluate(async (durationMs) => {
    const frames: number[] = [];
    const drawn = { records: [] as number[], barriers: [] as number[], elements: [] as number[], queued: [] as number[] };
    let last = performance.now();
    const end = last + durationMs;
    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        frames.push(now - last);
        last = now;
        if (frames.length % 30 === 0) {
          const graph = document.querySelector('[data-view="job-graph"]');
          drawn.records.push(graph?.querySelectorAll('[data-record]').length ?? 0);
          drawn.barriers.push(graph?.querySelectorAll('[data-barrier]').length ?? 0);
          drawn.elements.push(document.querySelectorAll('*').length);
          drawn.queued.push([...(graph?.querySelectorAll('[data-channel]') ?? [])].reduce((sum, lane) => sum + Number(lane.getAttribute('data-queued') ?? 0), 0));
        }
        if (now < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    return { frames, drawn };
  }, seconds * 1000);
  if (profiler) printHotFunctions((await profiler.send('Profiler.stop')).profile);
  const sorted = [...result.frames].sort((a, b) => a - b);
  const quantile = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const mean = (values: number[]) => round(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length));
  const summary = {
    url: url.replace(`http://127.0.0.1:${PORT}`, ''),
    ...(options.dist === undefined ? {} : { dist: options.dist }),
    measured_seconds: seconds,
    frames: result.frames.length,
    frame_ms_p50: quantile(0.5),
    frame_ms_p95: quantile(0.95),
    frame_ms_max: round(sorted.at(-1) ?? 0),
    /** Frames that took longer than one and a half 60 Hz frames: a frame was missed. */
    frames_missed_at_60_hz: result.frames.filter((frame) => frame > 1.5 * (1000 / 60)).length,
    records_drawn_mean: mean(result.drawn.records),
    barriers_drawn_mean: mean(result.drawn.barriers),
    records_queued_mean: mean(result.drawn.queued),
    dom_elements_mean: mean(result.drawn.elements),
    measured_at: new Date().toISOString(),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ui.json', `${JSON.stringify(summary, null, 2)}\n`);
  console.table(summary);
} finally {
  await browser.close();
  server.httpServer.close();
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }>;
  readonly samples?: readonly number[];
}

/** Self time by function over the profile's samples: where the main thread's frames go. */
function printHotFunctions(profile: CpuProfile): void {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map<string, number>();
  for (const id of profile.samples ?? []) {
    const frame = byNode.get(id)?.callFrame;
    const name = frame ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}` : '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const total = profile.samples?.length ?? 0;
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30);
  console.log(`main-thread CPU profile, ${total} samples; self time:`);
  for (const [name, count] of top) console.log(`${((100 * count) / Math.max(1, total)).toFixed(1).padStart(5)} %  ${name}`);
}
