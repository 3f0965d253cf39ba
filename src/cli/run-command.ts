// `barrierscope run`: validate the options, the output directory and any snapshot to restore from (nothing runs
// on bad input), run a scenario on the deterministic runtime, print a summary, and write the result files —
// snapshot files included — all or nothing.
import { formatEventsJsonl } from '../runtime/trace/events-jsonl';
import { join } from 'node:path';
import { formatFault } from '../runtime/sim/fault-plan';
import { runScenario, type RunScenarioOptions, type RunScenarioResult } from '../runtime/sim/run-scenario';
import { prepareRestore } from '../runtime/sim/snapshot-restore';
import { outputDirectoryProblem, writeOutputFiles, type OutputFile } from './output-files';
import { parseRunOptions, RUN_USAGE, UsageError, type RunOptions } from './run-options';
import { readSnapshotFile, SnapshotFileRefused } from './snapshot-file-input';
import { snapshotExports } from './snapshot-exports';

export const OUTPUT_FILE_NAMES = ['events.jsonl', 'checkpoints.json', 'output.json'] as const;

/** A status line rewritten in place (a terminal's stderr): how far a long run is. */
export interface ProgressLine {
  show(text: string): void;
  clear(): void;
}

/** Virtual time between two progress updates. */
const PROGRESS_EVERY_MS = 1_000;

/** What the summary says of a restore. */
interface Restored {
  readonly run: RunScenarioOptions;
  readonly line: string;
}

export function runCommand(argv: readonly string[], print: (line: string) => void, progress?: ProgressLine): number {
  const options = parseRunOptions(argv);
  if (options === 'help') {
    print(RUN_USAGE);
    return 0;
  }
  if (options.out !== undefined) {
    const problem = outputDirectoryProblem(options.out, OUTPUT_FILE_NAMES);
    if (problem !== undefined) throw new UsageError(problem, false);
  }
  const restored = options.fromSavepoint === undefined ? null : restoreFrom(options, options.fromSavepoint);
  const run = restored?.run ?? options;
  const result = progress === undefined ? runScenario(run) : runShowingProgress(run, progress);
  printSummary(options, result, restored?.line ?? null, print);
  if (options.out !== undefined) {
    const files = [...outputFiles(result), ...snapshotExports(result, options.exportCheckpoints)];
    try {
      writeOutputFiles(options.out, files);
    } catch (error) {
      throw new Error(`Could not write the output to '${options.out}', so none of it was written: ${(error as Error).message}`, { cause: error });
    }
    print(`wrote         ${join(options.out, files[0]!.name)}, ${files.slice(1).map((file) => file.name).join(', ')}`);
  }
  // The savepoint asked for was not taken: a run error, whatever --check says (the job went on running).
  if (result.stopFailure !== null) throw new Error(result.stopFailure);
  return options.check && result.problems.length > 0 ? 1 : 0;
}

/** Reads, decodes and validates the snapshot against the job before anything runs; refusals are one line (exit 3). */
function restoreFrom(options: RunOptions, path: string): Restored {
  const file = readSnapshotFile(path);
  const prepared = prepareRestore(file, { ...options, keys: options.keys!, recordsPerSecond: options.recordsPerSecond! }, path);
  if (!prepared.ok) throw new SnapshotFileRefused(prepared.message);
  const { metadata } = file;
  const parallelisms = [...new Set(metadata.operators.map((operator) => operator.parallelism))].join('/');
  const skipped = prepared.skippedOperators.length === 0 ? '' : `; state of ${prepared.skippedOperators.join(', ')} skipped (ignore-unclaimed-state)`;
  return {
    run: { ...options, maxParallelism: prepared.maxParallelism, restore: prepared.restore },
    line:
      `${metadata.isSavepoint ? 'savepoint' : 'checkpoint'} ${metadata.checkpointId} of ${file.job.jobName} from ${path}, ` +
      `parallelism ${parallelisms} → ${options.parallelism}, max parallelism ${prepared.maxParallelism}${skipped}`,
  };
}

/** Reads only the events' virtual time, so the run and its files are the same with or without it. */
function runShowingProgress(options: RunScenarioOptions, progress: ProgressLine): RunScenarioResult {
  let nextUpdateMs = PROGRESS_EVERY_MS;
  let completed = 0;
  try {
    return runScenario({
      ...options,
      onEvent: (event) => {
        if (event.type === 'checkpoint-completed') completed += 1;
        if (event.time < nextUpdateMs) return;
        nextUpdateMs = (Math.floor(event.time / PROGRESS_EVERY_MS) + 1) * PROGRESS_EVERY_MS;
        progress.show(`barrierscope: ${options.scenario} at ${Math.floor(event.time / 1000)} s of virtual time, ${completed} checkpoint(s) completed`);
      },
    });
  } finally {
    progress.clear();
  }
}

function printSummary(options: RunOptions, result: RunScenarioResult, restored: string | null, print: (line: string) => void): void {
  const { counts } = result.checkpoints;
  const verdict =
    result.problems.length === 0
      ? `passed (${options.mode === 'exactly-once' ? 'no loss, no duplicate' : 'nothing lost'})`
      : `FAILED: ${result.problems.slice(0, 5).join('; ')}${result.problems.length > 5 ? ` (+${result.problems.length - 5} more)` : ''}`;
  print(`scenario      ${result.scenario.name} (parallelism ${options.parallelism}, ${options.mode}, seed ${options.seed}${options.bounded ? ', bounded' : ''})`);
  if (restored !== null) print(`restored      ${restored}`);
  print(`faults        ${result.faults.map(formatFault).join(' ') || 'none'}`);
  print(`virtual time  ${result.endTimeMs} ms, job ${result.jobStatus}, ${result.numRestarts} restart(s)`);
  print(`checkpoints   ${counts.completed} completed, ${counts.failed} failed, ${counts.restored} restored from`);
  if (options.stopWithSavepointAtMs !== undefined) print(`savepoint     ${savepointLine(options.stopWithSavepointAtMs, result)}`);
  print(`output        ${result.output.length} records committed, ${result.events.length} events`);
  print(`check         ${verdict}`);
}

function savepointLine(atMs: number, result: RunScenarioResult): string {
  const { stop } = result;
  if (stop?.status === 'COMPLETED') {
    return `${stop.checkpointId}, stop-with-savepoint at ${atMs} ms, completed at ${stop.savepoint.completionTimestamp} ms and committed`;
  }
  return result.stopFailure ?? `stop-with-savepoint at ${atMs} ms did not complete`;
}

function outputFiles(result: RunScenarioResult): OutputFile[] {
  const [events, checkpoints, output] = OUTPUT_FILE_NAMES;
  return [
    { name: events, contents: formatEventsJsonl(result.events) },
    { name: checkpoints, contents: JSON.stringify(result.checkpoints, null, 2) + '\n' },
    { name: output, contents: JSON.stringify(result.output.map(toKeyValue), null, 2) + '\n' },
  ];
}

/** Each committed record as {key, value}: the record's `value` field, or the rest of its fields. */
function toKeyValue(record: unknown): { key: unknown; value: unknown } {
  const { key, ...rest } = record as Record<string, unknown>;
  return { key, value: 'value' in rest && Object.keys(rest).length === 1 ? rest.value : rest };
}
