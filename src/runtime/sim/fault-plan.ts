// Fault plans for the deterministic runtime: explicit specs parsed with clear errors, or a random plan
// drawn from the seed (always with at least one kill). The plan is part of the run's output.
import type { Random } from '../../engine/ports/random';
import { randomInt } from '../../engine/ports/random';

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

const PATTERN = /^(kill|kill-after|fail-snapshot|delay-channel|slow-task):([A-Za-z0-9_.-]+)#(\d+)@(\d+)(?:([+x])(\d+(?:\.\d+)?))?$/;

export function parseFault(spec: string): Fault {
  const match = PATTERN.exec(spec.trim());
  if (!match) throw new Error(`Cannot read fault '${spec}'. Expected one of: ${FAULT_SYNTAX.join(', ')}`);
  const [, kind, uid, subtaskText, atText, operator, extraText] = match;
  const subtask = Number(subtaskText);
  const at = Number(atText);
  const extra = extraText === undefined ? undefined : Number(extraText);
  const base = { uid: uid!, subtask };
  switch (kind) {
    case 'kill':
      return expectNoExtra(spec, operator, { kind: 'kill', ...base, atMs: at });
    case 'kill-after':
      return expectNoExtra(spec, operator, { kind: 'kill-after', ...base, records: at });
    case 'fail-snapshot':
      if (at < 1) throw new Error(`Fault '${spec}': checkpoint ids start at 1`);
      return expectNoExtra(spec, operator, { kind: 'fail-snapshot', ...base, checkpointId: at });
    case 'delay-channel':
      if (operator !== '+' || extra === undefined) throw new Error(`Fault '${spec}': write delay-channel:<uid>#<subtask>@<ms>+<latency-ms>`);
      return { kind: 'delay-channel', ...base, atMs: at, latencyMs: extra };
    default:
      if (operator !== 'x' || extra === undefined || extra < 1) throw new Error(`Fault '${spec}': write slow-task:<uid>#<subtask>@<ms>x<factor>, factor ≥ 1`);
      return { kind: 'slow-task', ...base, atMs: at, factor: extra };
  }
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
