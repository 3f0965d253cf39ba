// `npm run bench`: serves the bench page with Vite, opens it in Debian's headless Chromium with a
// persistent profile (so IndexedDB is on disk), waits for the results, prints a table and writes
// bench/results/latest.json. Figures are measured, never asserted: these machines are shared and noisy.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../tests/chromium.ts';
import { backpressureCheckpointFigures } from './backpressure-checkpoints.ts';

/** BENCH_PORT: another port, for two benchmarks at once (e.g. an A/B against an older checkout). */
const PORT = Number(process.env.BENCH_PORT ?? 4174);
/** BENCH_OUT: where the results go (a quick or partial run need not replace the committed latest.json). */
const OUT = process.env.BENCH_OUT ?? 'bench/results/latest.json';
const query = process.argv.slice(2).join('&');
/** A cross-origin-isolated page may measure its Workers' memory (bench/memory.ts). */
const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// A production build, as users get it (the dev server would also reload the page while it optimises dependencies).
const outDir = `bench/dist-${PORT}`;
await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: 'bench/index.html' } } });
const server = await preview({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: PORT, strictPort: true, headers: CROSS_ORIGIN_ISOLATION } });
const profile = mkdtempSync(join(tmpdir(), 'barrierscope-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  headless: true,
  ...chromiumLaunchOptions,
  args: [...chromiumLaunchOptions.args, '--enable-blink-features=ForceEagerMeasureMemory'],
});
try {
  const page = await context.newPage();
  page.on('console', (message) => console.log(`  ${message.text()}`));
  await page.goto(`http://127.0.0.1:${PORT}/bench/index.html${query ? `?${query}` : ''}`);
  await page.waitForFunction(() => window.__benchResult !== undefined || window.__benchError !== undefined, null, { timeout: 30 * 60_000, polling: 500 });
  const error = await page.evaluate(() => window.__benchError);
  if (error) throw new Error(`The benchmark failed in the page: ${error}`);
  const result = (await page.evaluate(() => window.__benchResult)) as {
    baseline_records_per_s: number;
    indexeddb_raw_put_mb_per_s: number | null;
    runs: Array<Record<string, unknown> & { snapshot_write_mb_per_s: { full: number | null; incremental: number | null } }>;
  };
  console.log(`\nbaseline (plain Map loop, one thread): ${result.baseline_records_per_s.toLocaleString('en')} records/s`);
  if (result.indexeddb_raw_put_mb_per_s !== null) console.log(`IndexedDB raw chunked put: ${result.indexeddb_raw_put_mb_per_s} MB/s`);
  console.table(
    result.runs.map((run) => ({
      backend: run.state_backend,
      keys: run.keys,
      p: run.parallelism,
      'records/s (ckpt 1 s)': run.throughput_records_per_s,
      'records/s (no ckpt)': run.throughput_no_checkpoint_records_per_s,
      overhead: run.checkpoint_overhead_ratio,
      'vs baseline': run.throughput_vs_baseline,
      'vs baseline (no ckpt)': run.throughput_no_checkpoint_vs_baseline,
      'engine records/s': run.engine_records_per_s,
      'engine vs baseline': run.engine_vs_baseline,
      'recovery p50 ms': run.recovery_ms_p50,
    })),
  );
  console.log('\ncheckpoints and state:');
  console.table(
    result.runs.map((run) => ({
      backend: run.state_backend,
      keys: run.keys,
      p: run.parallelism,
      checkpoints: run.checkpoints_completed,
      'e2e p50 ms': run.checkpoint_e2e_ms_p50,
      'e2e p99 ms': run.checkpoint_e2e_ms_p99,
      'sync p50 ms': run.checkpoint_sync_ms_p50,
      'async p50 ms': run.checkpoint_async_ms_p50,
      'state bytes': run.checkpoint_state_size_bytes,
      'write MB/s full': run.snapshot_write_mb_per_s.full,
      'write MB/s incr': run.snapshot_write_mb_per_s.incremental,
      'write vs raw put': run.snapshot_write_vs_raw_put,
      'bytes/key in memory': run.memory_per_key_bytes,
    })),
  );
  if (result.runs.some((run) => run.long_run_seconds !== null)) {
    console.log('\ncheckpoint overhead over long runs (no checkpoint, checkpoint, checkpoint, no checkpoint):');
    console.table(
      result.runs.map((run) => ({
        p: run.parallelism,
        's per run': run.long_run_seconds,
        'checkpoints per run': run.long_run_checkpoints_completed,
        'records/s (ckpt 1 s)': run.long_run_records_per_s,
        'records/s (no ckpt)': run.long_run_no_checkpoint_records_per_s,
        overhead: run.long_run_checkpoint_overhead_ratio,
      })),
    );
  }
  // Checkpoints under backpressure, aligned vs unaligned (issue 9): the deterministic runtime in this process, virtual time.
  const backpressure = backpressureCheckpointFigures();
  console.log('\ncheckpoints under backpressure (deterministic runtime, virtual time, sink slowed; aligned vs unaligned):');
  console.table({
    aligned: { 'e2e p50 ms': backpressure.aligned_checkpoint_e2e_ms_p50, 'e2e max ms': backpressure.aligned_checkpoint_e2e_ms_max, completed: backpressure.aligned_checkpoints_completed, 'queue max': backpressure.aligned_queue_records_max },
    unaligned: { 'e2e p50 ms': backpressure.unaligned_checkpoint_e2e_ms_p50, 'e2e max ms': backpressure.unaligned_checkpoint_e2e_ms_max, completed: backpressure.unaligned_checkpoints_completed, 'queue max': backpressure.unaligned_queue_records_max },
  });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(OUT, JSON.stringify({ ...result, backpressure_checkpoints: backpressure }, null, 2) + '\n');
  console.log(`wrote ${OUT}`);
} finally {
  await context.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
