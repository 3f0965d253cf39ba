// Fault plans for the deterministic runtime: specs parsed with clear errors and bounded numbers, so a
// printed spec parses back to the same fault; or a random plan drawn from the seed (at least one kill).
import type { Random } from '../../engine/ports/random';
import { randomInt } from '../../engine/ports/random';
import { UPPER_BOUND_MAX_PARALLELISM } from '../../engine/config';

export type Fault =
  /** Kill the task hosting operator `uid`, subtask `subtask`, at `atMs` (as worker.terminate()). */
  | { readonly kind: 'kill'; readonly uid: string; readonly subtask: number; readonly atMs: number }
  /** Kill it once it has processed `records` records. */
  | { readonly kind: 'kill-after'; readonly uid: string; readonly subtask: number; readonly records: number }
  /** Fail the async (upload) part of checkpoint `checkpointId` in that task. */
  | { readonly kind: 'fail-snapshot'; readonly uid: string; readonly subtask: number; readonly checkpointId: number }
  /** From `atMs` on, add `latencyMs` to every message into that task (a slow network channel). */
  | { readonly kind: 'delay-channel'; readonly uid: string; readonly subtask: number; readonly atMs: number; readonly latencyMs: number }
  /** From `atMs` on, the task processes `factor` times slower (backpressure upstream). */
  | { readonly kind: 'slow-task'; readonly uid: string; readonly subtask: number; readonly atMs: number; readonly factor: number };

export const FAULT_SYNTAX = [
  'kill:<uid>#<subtask>@<ms>',
  'kill-after:<uid>#<subtask>@<records>',
  'fail-snapshot:<uid>#<subtask>@<checkpoint-id>',
  'delay-channel:<uid>#<subtask>@<ms>+<latency-ms>',
  'slow-task:<uid>#<subtask>@<ms>x<factor>',
  'random',
];

/**
 * Bounds of a spec's numbers. Each is a safe integer (or, for a factor, a plain decimal) that prints
 * back digit for digit, so a printed plan parses to the same faults; and each still means something.
 */
export const FAULT_LIMITS = {
  /** Subtask indexes: below Flink's upper bound of max parallelism (2^15). */
  maxSubtask: UPPER_BOUND_MAX_PARALLELISM - 1,
  /** Times (ms), record counts and checkpoint ids. */
  maxCount: Number.MAX_SAFE_INTEGER,
  /** One hour: far beyond any run's end (a run stops at 30 minutes of virtual time at the latest). */
  maxLatencyMs: 3_600_000,
  /** A record then costs 0.02 ms × 10^9 = 5.6 h of virtual time: the task is as good as stopped. */
  maxFactor: 1_000_000_000,
} as const;

const PATTERN = /^(kill|kill-after|fail-snapshot|delay-channel|slow-task):([A-Za-z0-9_.-]+)#(\d+)@(\d+)(?:([+x])(\d+(?:\.\d+)?))?$/;

/** Reads one fault spec; throws an Error that quotes the spec and says what is allowed. */
export function parseFault(spec: string): Fault {
  const match = PATTERN.exec(spec.trim());
  if (!match) throw new Error(`Cannot read fault '${spec}'. Expected one of: ${FAULT_SYNTAX.join(', ')}`);
  const [, kind, uid, subtaskText, atText, operator, extraText] = match;
  const base = { uid: uid!, subtask: integerIn(spec, '<subtask>', subtaskText!, 0, FAULT_LIMITS.maxSubtask) };
  switch (kind) {
    case 'kill':
      return expectNoExtra(spec, operator, { kind: 'kill', ...base, atMs: integerIn(spec, '<ms>', atText!, 0, FAULT_LIMITS.maxCount) });
    case 'kill-after':
      return expectNoExtra(spec, operator, { kind: 'kill-after', ...base, records: integerIn(spec, '<records>', atText!, 0, FAULT_LIMITS.maxCount) });
    case 'fail-snapshot':
      if (Number(atText) < 1) throw new Error(`Fault '${spec}': checkpoint ids start at 1`);
      return expectNoExtra(spec, operator, { kind: 'fail-snapshot', ...base, checkpointId: integerIn(spec, '<checkpoint-id>', atText!, 1, FAULT_LIMITS.maxCount) });
    case 'delay-channel': {
      if (operator !== '+' || extraText === undefined) throw new Error(`Fault '${spec}': write delay-channel:<uid>#<subtask>@<ms>+<latency-ms>`);
      // Virtual time is whole milliseconds; a fractional latency would make every later time fractional.
      if (extraText.includes('.')) throw new Error(`Fault '${spec}': the latency must be a whole number of milliseconds`);
      const atMs = integerIn(spec, '<ms>', atText!, 0, FAULT_LIMITS.maxCount);
      return { kind: 'delay-channel', ...base, atMs, latencyMs: integerIn(spec, '<latency-ms>', extraText, 0, FAULT_LIMITS.maxLatencyMs) };
    }
    default: {
      const factor = extraText === undefined ? NaN : Number(extraText);
      if (operator !== 'x' || !(factor >= 1)) throw new Error(`Fault '${spec}': write slow-task:<uid>#<subtask>@<ms>x<factor>, factor ≥ 1`);
      if (factor > FAULT_LIMITS.maxFactor) throw new Error(`Fault '${spec}': <factor> must be from 1 to ${FAULT_LIMITS.maxFactor}, got ${extraText}`);
      return { kind: 'slow-task', ...base, atMs: integerIn(spec, '<ms>', atText!, 0, FAULT_LIMITS.maxCount), factor };
    }
  }
}

/** A whole number in [minimum, maximum] (digits only, so never fractional or negative). */
function integerIn(spec: string, label: string, text: string, minimum: number, maximum: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new Error(`Fault '${spec}': ${label} must be a whole number from ${minimum} to ${maximum}, got ${text}`);
  }
  return value;
}

function expectNoExtra(spec: string, operator: string | undefined, fault: Fault): Fault {
  if (operator !== undefined) throw new Error(`Fault '${spec}' takes no '${operator}' part`);
  return fault;
}

export function formatFault(fault: Fault): string {
  const target = `${fault.uid}#${fault.subtask}`;
  switch (fault.kind) {
    case 'kill':
      return `kill:${target}@${fault.atMs}`;
    case 'kill-after':
      return `kill-after:${target}@${fault.records}`;
    case 'fail-snapshot':
      return `fail-snapshot:${target}@${fault.checkpointId}`;
    case 'delay-channel':
      return `delay-channel:${target}@${fault.atMs}+${fault.latencyMs}`;
    case 'slow-task':
      return `slow-task:${target}@${fault.atMs}x${fault.factor}`;
  }
}

export interface FaultTarget {
  readonly uid: string;
  readonly parallelism: number;
}

/** A random plan: one to three kills within the run, plus maybe a failed snapshot and a slow channel. */
export function randomFaultPlan(
  random: Random,
  targets: readonly FaultTarget[],
  keyedTargets: readonly FaultTarget[],
  durationMs: number,
  checkpointIntervalMs: number,
): Fault[] {
  const pick = (from = targets) => {
    const target = from[randomInt(random, from.length)]!;
    return { uid: target.uid, subtask: randomInt(random, target.parallelism) };
  };
  const faults: Fault[] = [];
  const kills = 1 + randomInt(random, 3);
  for (let i = 0; i < kills; i++) faults.push({ kind: 'kill', ...pick(), atMs: 1 + randomInt(random, Math.max(1, Math.floor(durationMs * 0.8))) });
  const expectedCheckpoints = Math.max(1, Math.floor(durationMs / Math.max(1, checkpointIntervalMs)));
  if (random.next() < 0.5 && keyedTargets.length > 0) faults.push({ kind: 'fail-snapshot', ...pick(keyedTargets), checkpointId: 1 + randomInt(random, expectedCheckpoints) });
  if (random.next() < 0.3) faults.push({ kind: 'delay-channel', ...pick(), atMs: randomInt(random, durationMs), latencyMs: 5 + randomInt(random, 50) });
  if (random.next() < 0.3) faults.push({ kind: 'slow-task', ...pick(), atMs: randomInt(random, durationMs), factor: 2 + randomInt(random, 8) });
  return faults;
}
