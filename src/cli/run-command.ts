// `barrierscope run`: parse and validate options (clear errors, nothing run on bad input), run a
// scenario on the deterministic runtime, print a summary, and write events.jsonl, checkpoints.json and
// output.json. Files are byte-identical for the same seed and options.
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../scenarios';
import { FAULT_SYNTAX, formatFault, parseFault, type Fault } from '../runtime/sim/fault-plan';
import { DEFAULT_KEYS, DEFAULT_RECORDS_PER_SECOND, runScenario, type RunScenarioOptions } from '../runtime/sim/run-scenario';
import { parseDuration } from '../engine/config';

export const RUN_USAGE = `Usage: barrierscope run [options]

Runs a scenario on the deterministic runtime (virtual time, seeded).

Options:
  --scenario NAME            ${[...SCENARIOS.keys()].join(' | ')} (default running-sum)
  --parallelism N            default parallelism (default 2)
  --max-parallelism N        number of key groups (default: derived as Flink does, 128)
  --checkpoint-interval T    execution.checkpointing.interval, e.g. 500ms, 2s (default 500ms)
  --mode MODE                exactly-once | at-least-once (default exactly-once)
  --seed N                   seed of the scheduler and of random faults (default 1)
  --fault SPEC               repeatable; one of:
                               ${FAULT_SYNTAX.join('\n                               ')}
  --keys N                   distinct keys (default ${DEFAULT_KEYS})
  --rate N                   records per second per source subtask (default ${DEFAULT_RECORDS_PER_SECOND})
  --until T                  stop at this virtual time (default: when all input is committed)
  --set KEY=VALUE            repeatable; any other Flink option, e.g. --set restart-strategy.type=fixed-delay
  --out DIR                  write events.jsonl, checkpoints.json, output.json
  --check                    exit with status 1 unless the output passes the mode's check
  --help                     this text
`;

export class UsageError extends Error {}

/** Flink options the run sets from a dedicated flag (always, with its default). */
const OPTIONS_SET_BY_FLAGS: Readonly<Record<string, string>> = {
  'parallelism.default': '--parallelism',
  'pipeline.max-parallelism': '--max-parallelism',
  'execution.checkpointing.interval': '--checkpoint-interval',
  'execution.checkpointing.mode': '--mode',
};

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer, got '${text}'`);
  return value;
}

function duration(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`--${name} must be a positive duration such as 500ms or 2s, got '${text}' (${parsed.reason})`);
  if (parsed.milliseconds <= 0) throw new UsageError(`--${name} must be positive, got '${text}'`);
  return parsed.milliseconds;
}

export function parseRunOptions(argv: readonly string[]): (RunScenarioOptions & { out?: string; check: boolean }) | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        parallelism: { type: 'string' },
        'max-parallelism': { type: 'string' },
        'checkpoint-interval': { type: 'string' },
        mode: { type: 'string' },
        seed: { type: 'string' },
        fault: { type: 'string', multiple: true },
        keys: { type: 'string' },
        rate: { type: 'string' },
        until: { type: 'string' },
        set: { type: 'string', multiple: true },
        out: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) return 'help';
  const scenario = values.scenario ?? 'running-sum';
  if (!SCENARIOS.has(scenario)) throw new UsageError(`Unknown scenario '${scenario}'. Available: ${[...SCENARIOS.keys()].join(', ')}`);
  const mode = values.mode ?? 'exactly-once';
  if (mode !== 'exactly-once' && mode !== 'at-least-once') throw new UsageError(`--mode must be exactly-once or at-least-once, got '${mode}'`);
  const seedText = values.seed ?? '1';
  if (!/^\d+$/.test(seedText) || Number(seedText) > 0xffffffff) throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${seedText}'`);
  const faultSpecs = values.fault ?? [];
  const faults: Fault[] = [];
  for (const spec of faultSpecs.filter((s) => s !== 'random')) {
    let fault: Fault;
    try {
      fault = parseFault(spec);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // Virtual time is whole milliseconds; a fractional latency would make every later time fractional.
    if (fault.kind === 'delay-channel' && !Number.isInteger(fault.latencyMs)) {
      throw new UsageError(`Fault '${spec}': the latency must be a whole number of milliseconds`);
    }
    faults.push(fault);
  }
  const configuration: Record<string, string> = {};
  for (const assignment of values.set ?? []) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes KEY=VALUE, got '${assignment}'`);
    const key = assignment.slice(0, eq).trim();
    // The run writes these from its own options; a --set of them would be silently overwritten.
    const dedicated = OPTIONS_SET_BY_FLAGS[key];
    if (dedicated) throw new UsageError(`--set ${key} is not read: use ${dedicated}`);
    configuration[key] = assignment.slice(eq + 1).trim();
  }
  const maxParallelism = values['max-parallelism'] === undefined ? undefined : positiveInteger('max-parallelism', values['max-parallelism'], 128);
  return {
    scenario,
    parallelism: positiveInteger('parallelism', values.parallelism, 2),
    ...(maxParallelism === undefined ? {} : { maxParallelism }),
    checkpointIntervalMs: duration('checkpoint-interval', values['checkpoint-interval'], 500),
    mode,
    seed: Number(seedText),
    faults,
    randomFaults: faultSpecs.includes('random'),
    ...(values.until === undefined ? {} : { untilMs: duration('until', values.until, 0) }),
    keys: positiveInteger('keys', values.keys, DEFAULT_KEYS),
    recordsPerSecond: positiveInteger('rate', values.rate, DEFAULT_RECORDS_PER_SECOND),
    configuration,
    ...(values.out === undefined ? {} : { out: values.out }),
    check: values.check ?? false,
  };
}

export function runCommand(argv: readonly string[], print: (line: string) => void): number {
  const options = parseRunOptions(argv);
  if (options === 'help') {
    print(RUN_USAGE);
    return 0;
  }
  const result = runScenario(options);
  const { counts } = result.checkpoints;
  print(`scenario      ${result.scenario.name} (parallelism ${options.parallelism}, ${options.mode}, seed ${options.seed})`);
  print(`faults        ${result.faults.map(formatFault).join(' ') || 'none'}`);
  print(`virtual time  ${result.endTimeMs} ms, job ${result.jobStatus}, ${result.numRestarts} restart(s)`);
  print(`checkpoints   ${counts.completed} completed, ${counts.failed} failed, ${counts.restored} restored from`);
  print(`output        ${result.output.length} records committed, ${result.events.length} events`);
  print(`check         ${result.problems.length === 0 ? `passed (${options.mode === 'exactly-once' ? 'no loss, no duplicate' : 'nothing lost'})` : `FAILED: ${result.problems.slice(0, 5).join('; ')}${result.problems.length > 5 ? ` (+${result.problems.length - 5} more)` : ''}`}`);
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'events.jsonl'), result.events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    writeFileSync(join(options.out, 'checkpoints.json'), JSON.stringify(result.checkpoints, null, 2) + '\n');
    writeFileSync(join(options.out, 'output.json'), JSON.stringify(result.output.map(toKeyValue), null, 2) + '\n');
    print(`wrote         ${join(options.out, 'events.jsonl')}, checkpoints.json, output.json`);
  }
  return options.check && result.problems.length > 0 ? 1 : 0;
}

/** Each committed record as {key, value}: the record's `value` field, or the rest of its fields. */
function toKeyValue(record: unknown): { key: unknown; value: unknown } {
  const { key, ...rest } = record as Record<string, unknown>;
  return { key, value: 'value' in rest && Object.keys(rest).length === 1 ? rest.value : rest };
}
