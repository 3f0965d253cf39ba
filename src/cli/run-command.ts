// `barrierscope run`: validate the options and the output directory (nothing runs on bad input), run a
// scenario on the deterministic runtime, print a summary, and write the result files all or nothing.
import { join } from 'node:path';
import { formatFault } from '../runtime/sim/fault-plan';
import { runScenario, type RunScenarioResult } from '../runtime/sim/run-scenario';
import { outputDirectoryProblem, writeOutputFiles, type OutputFile } from './output-files';
import { parseRunOptions, RUN_USAGE, UsageError, type RunOptions } from './run-options';

export const OUTPUT_FILE_NAMES = ['events.jsonl', 'checkpoints.json', 'output.json'] as const;

/** A status line rewritten in place (a terminal's stderr): how far a long run is. */
export interface ProgressLine {
  show(text: string): void;
  clear(): void;
}

/** Virtual time between two progress updates. */
const PROGRESS_EVERY_MS = 1_000;

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
  const result = progress === undefined ? runScenario(options) : runShowingProgress(options, progress);
  printSummary(options, result, print);
  if (options.out !== undefined) {
    try {
      writeOutputFiles(options.out, outputFiles(result));
    } catch (error) {
      throw new Error(`Could not write the output to '${options.out}', so none of it was written: ${(error as Error).message}`, { cause: error });
    }
    print(`wrote         ${join(options.out, OUTPUT_FILE_NAMES[0])}, ${OUTPUT_FILE_NAMES.slice(1).join(', ')}`);
  }
  return options.check && result.problems.length > 0 ? 1 : 0;
}

/** Reads only the events' virtual time, so the run and its files are the same with or without it. */
function runShowingProgress(options: RunOptions, progress: ProgressLine): RunScenarioResult {
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

function printSummary(options: RunOptions, result: RunScenarioResult, print: (line: string) => void): void {
  const { counts } = result.checkpoints;
  const verdict =
    result.problems.length === 0
      ? `passed (${options.mode === 'exactly-once' ? 'no loss, no duplicate' : 'nothing lost'})`
      : `FAILED: ${result.problems.slice(0, 5).join('; ')}${result.problems.length > 5 ? ` (+${result.problems.length - 5} more)` : ''}`;
  print(`scenario      ${result.scenario.name} (parallelism ${options.parallelism}, ${options.mode}, seed ${options.seed})`);
  print(`faults        ${result.faults.map(formatFault).join(' ') || 'none'}`);
  print(`virtual time  ${result.endTimeMs} ms, job ${result.jobStatus}, ${result.numRestarts} restart(s)`);
  print(`checkpoints   ${counts.completed} completed, ${counts.failed} failed, ${counts.restored} restored from`);
  print(`output        ${result.output.length} records committed, ${result.events.length} events`);
  print(`check         ${verdict}`);
}

function outputFiles(result: RunScenarioResult): OutputFile[] {
  const [events, checkpoints, output] = OUTPUT_FILE_NAMES;
  return [
    { name: events, text: result.events.map((event) => JSON.stringify(event)).join('\n') + '\n' },
    { name: checkpoints, text: JSON.stringify(result.checkpoints, null, 2) + '\n' },
    { name: output, text: JSON.stringify(result.output.map(toKeyValue), null, 2) + '\n' },
  ];
}

/** Each committed record as {key, value}: the record's `value` field, or the rest of its fields. */
function toKeyValue(record: unknown): { key: unknown; value: unknown } {
  const { key, ...rest } = record as Record<string, unknown>;
  return { key, value: 'value' in rest && Object.keys(rest).length === 1 ? rest.value : rest };
}
