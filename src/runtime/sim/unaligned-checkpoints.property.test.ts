// Unaligned checkpoints (FLIP-76) and the aligned-checkpoint timeout under random fault plans with backpressure,
// on the deterministic runtime (fast-check over seeds). Every run has unaligned checkpoints on, with a timeout of
// 0 (unaligned from the start) or a few milliseconds (aligned until alignment lasts longer, then switched), a
// slowed stateful task (slow-task: its input backs up, its producers are backpressured, barriers queue behind
// records), maybe a slow channel (delay-channel), and the random plan's kills and failed snapshots. Each run must:
// - commit exactly-once (running-sum: exactly the failure-free output per key, in order);
// - keep the receive side's guarantees (receiveSideProblems, restored input channel state counted);
// - replay restored channel state before any new input on its channel (from the event log, restoreOrderProblems);
// - have every completed checkpoint consistent counting in-flight data (checkpoint-consistency.ts: source offsets
//   = records in the stateful operator's state + records in channel state on the way to it, per key);
// - keep savepoints aligned (no channel state, checkpoint_type SAVEPOINT).
// Across the runs barriers must have overtaken records, checkpoints switched, channel state been restored and
// completed checkpoints held in-flight records, so the properties are not vacuous. A failing case is printed by
// fast-check; pin it in PINNED as a regression.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario, type RunScenarioOptions } from './run-scenario';
import type { Fault } from './fault-plan';
import type { Simulation } from './simulation';
import type { EngineEvent } from '../../engine/events';
import { receiveSideProblems } from '../../engine/event-invariants';
import { hasChannelState } from '../../engine/checkpoint/task-state';
import { checkpointConsistency } from './checkpoint-consistency';
import { findScenario } from '../../scenarios';

const PROPERTY_SEED = 20261204;
const RUNS = 50;
const KEYS = 60;
const RATE = 400;

interface Case {
  readonly seed: number;
  readonly parallelism: number;
  readonly backend: 'hashmap' | 'indexeddb';
  /** execution.checkpointing.aligned-checkpoint-timeout in ms; 0: unaligned from the start. */
  readonly timeoutMs: number;
  readonly slow: { readonly subtask: number; readonly atMs: number; readonly factor: number };
  readonly delay: { readonly operator: number; readonly subtask: number; readonly atMs: number; readonly latencyMs: number } | null;
  readonly savepointAtMs: number | null;
  /** A kill while checkpoints hold records in flight, so restores put channel state back. */
  readonly kill: { readonly operator: number; readonly subtask: number; readonly atMs: number };
}

/** Cases that once failed; each stays a regression test. */
const PINNED: Record<string, Case[]> = {
  'running-sum': [],
  'order-totals': [
    // The prefetcher (indexeddb backend) held part of a buffer when a timed-out alignment took checkpoint 1
    // unaligned: its unconsumed records were in neither the snapshot nor the channel state.
    { seed: 0, parallelism: 2, backend: 'indexeddb', timeoutMs: 2, slow: { subtask: 0, atMs: 0, factor: 105 }, delay: null, savepointAtMs: null, kill: { operator: 0, subtask: 0, atMs: 300 } },
  ],
};

const UIDS: Readonly<Record<string, { readonly stateful: string; readonly all: readonly string[] }>> = {
  'running-sum': { stateful: 'sum', all: ['numbers', 'sum', 'sink'] },
  'order-totals': { stateful: 'totals', all: ['orders-eu', 'orders-us', 'totals', 'sink'] },
};

const OUTPUTS: Readonly<Record<string, string>> = { 'running-sum': 'sums', 'order-totals': 'totals' };

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  parallelism: fc.integer({ min: 1, max: 4 }),
  backend: fc.constantFrom('hashmap' as const, 'indexeddb' as const),
  timeoutMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
  slow: fc.record({ subtask: fc.nat({ max: 3 }), atMs: fc.integer({ min: 0, max: 600 }), factor: fc.integer({ min: 20, max: 200 }) }),
  delay: fc.option(fc.record({ operator: fc.nat({ max: 3 }), subtask: fc.nat({ max: 3 }), atMs: fc.integer({ min: 0, max: 1000 }), latencyMs: fc.integer({ min: 5, max: 200 }) }), { nil: null }),
  savepointAtMs: fc.option(fc.integer({ min: 50, max: 1500 }), { nil: null }),
  kill: fc.record({ operator: fc.nat({ max: 3 }), subtask: fc.nat({ max: 3 }), atMs: fc.integer({ min: 300, max: 2500 }) }),
});

const options = (scenario: string, c: Case): RunScenarioOptions => {
  const { stateful, all } = UIDS[scenario]!;
  const faults: Fault[] = [{ kind: 'slow-task', uid: stateful, subtask: c.slow.subtask % c.parallelism, atMs: c.slow.atMs, factor: c.slow.factor }];
  faults.push({ kind: 'kill', uid: all[c.kill.operator % all.length]!, subtask: c.kill.subtask % c.parallelism, atMs: c.kill.atMs });
  if (c.delay) faults.push({ kind: 'delay-channel', uid: all[c.delay.operator % all.length]!, subtask: c.delay.subtask % c.parallelism, atMs: c.delay.atMs, latencyMs: c.delay.latencyMs });
  return {
    ...(c.backend === 'indexeddb' ? { maxResidentKeyGroups: 3 } : {}),
    scenario,
    parallelism: c.parallelism,
    checkpointIntervalMs: 200,
    mode: 'exactly-once',
    seed: c.seed,
    keys: KEYS,
    recordsPerSecond: RATE,
    randomFaults: true,
    faults,
    configuration: {
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.aligned-checkpoint-timeout': `${c.timeoutMs} ms`,
      'execution.checkpointing.tolerable-failed-checkpoints': 1000,
      'state.backend.type': c.backend,
    },
  };
};

/**
 * Restored channel state comes before any new input on its channel, read from the event log (per attempt):
 * input channel state is put back before anything is consumed from that channel (the upstream task, deployed
 * at the same time, may already have moved new records into the channel: they queue behind the restored ones,
 * which the gate reads first, as Flink's RecoveredInputChannel); output channel state before the task moves
 * anything on that channel, and what it moves first is exactly the restored records (their epoch is the restored
 * checkpoint's, every new record's later). The order of the records themselves shows in the committed output.
 */
function restoreOrderProblems(events: readonly EngineEvent[]): string[] {
  const problems: string[] = [];
  const moved = new Set<string>();
  const consumed = new Set<string>();
  const restoredOutput = new Map<string, { checkpointId: number; left: number }>();
  for (const event of events) {
    switch (event.type) {
      case 'channel-state-restored': {
        if (event.records <= 0) problems.push(`${event.time} ms: ${event.taskId} restored ${event.records} records (${event.side} channel ${event.channel})`);
        if (event.side === 'input') {
          const channel = `${event.attempt}/${event.taskId}/${event.channel}`;
          if (consumed.has(channel)) problems.push(`${event.time} ms: ${event.taskId} restored input channel ${event.channel} after it consumed new input from it (attempt ${event.attempt})`);
        } else {
          const channel = `${event.attempt}/${event.to}/${event.channel}`;
          if (moved.has(channel)) problems.push(`${event.time} ms: ${event.taskId} restored its output to ${event.to} channel ${event.channel} after it moved new records on it (attempt ${event.attempt})`);
          restoredOutput.set(channel, { checkpointId: event.checkpointId, left: event.records });
        }
        break;
      }
      case 'records-moved': {
        const channel = `${event.attempt}/${event.to}/${event.channel}`;
        moved.add(channel);
        const restored = restoredOutput.get(channel);
        if (restored === undefined || event.epoch === undefined) break;
        if (event.epoch <= restored.checkpointId) {
          restored.left -= event.count;
          if (restored.left < 0) problems.push(`${event.time} ms: ${event.from} moved more records of epoch ≤ ${restored.checkpointId} to ${event.to} channel ${event.channel} than it restored`);
        } else if (restored.left > 0) {
          problems.push(`${event.time} ms: ${event.from} moved new records (epoch ${event.epoch}) to ${event.to} channel ${event.channel} before the ${restored.left} restored ones still to send`);
          restored.left = 0;
        }
        break;
      }
      case 'records-consumed':
        consumed.add(`${event.attempt}/${event.taskId}/${event.channel}`);
        break;
      default:
        break;
    }
  }
  return problems;
}

function perKey(output: readonly unknown[]): Record<string, string> {
  const result: Record<string, string[]> = {};
  for (const record of output as Array<{ key: string }>) (result[record.key] ??= []).push(JSON.stringify(record));
  return Object.fromEntries(Object.entries(result).map(([key, values]) => [key, values.join('|')]));
}

describe.each(['running-sum', 'order-totals'])('%s with unaligned checkpoints under backpressure and random faults', (scenario) => {
  const failureFree = runScenario({ ...options(scenario, { seed: 1, parallelism: 2, backend: 'hashmap', timeoutMs: 0, slow: { subtask: 0, atMs: 0, factor: 1 }, delay: null, savepointAtMs: null, kill: { operator: 0, subtask: 0, atMs: 0 } }), randomFaults: false, faults: [], recordEvents: false });

  it('commits exactly-once, replays restored channel state first, and keeps every completed checkpoint consistent counting in-flight data', () => {
    expect(failureFree.problems).toEqual([]);
    const seen = { overtook: 0, switched: 0, restored: 0, inFlight: 0, unalignedCompleted: 0, savepoints: 0 };
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        let simulation: Simulation | null = null;
        const consistency: string[] = [];
        const savepoints: number[] = [];
        const result = runScenario({
          ...options(scenario, c),
          onStart: (started) => {
            simulation = started;
            if (c.savepointAtMs !== null) started.scheduler.schedule(c.savepointAtMs, () => started.jobMaster.triggerSavepoint());
          },
          onEvent: (event) => {
            if (event.type !== 'checkpoint-completed') return;
            const metadata = simulation!.jobMaster.store.savepoints().find((savepoint) => savepoint.checkpointId === event.checkpointId) ?? simulation!.jobMaster.latestCompletedCheckpoint()!;
            if (metadata.checkpointId !== event.checkpointId) return;
            if (event.isSavepoint) savepoints.push(event.checkpointId);
            const check = checkpointConsistency(simulation!, metadata, scenario, KEYS, RATE);
            consistency.push(...check.problems);
            seen.inFlight += check.inFlight;
            if (event.isSavepoint && metadata.operators.some((operator) => operator.subtaskStates.some((state) => state !== undefined && hasChannelState(state)))) {
              consistency.push(`savepoint ${event.checkpointId} holds channel state`);
            }
          },
        });
        const label = JSON.stringify({ ...c, faults: result.faults });
        expect(result.drained, label).toBe(true);
        // runScenario stops a grace period after the checkpoint covering all input completed; a task slowed a
        // thousandfold may take longer than that to be told and commit, so the run settles before the verdict.
        const settled = result.simulation;
        settled.runUntil(settled.now + 3_000);
        const output = settled.external.output(OUTPUTS[scenario]!).records();
        expect(findScenario(scenario).checkExactlyOnce(output, result.parameters), label).toEqual([]);
        if (scenario === 'running-sum') expect(perKey(output), label).toEqual(perKey(failureFree.output));
        expect(consistency, label).toEqual([]);
        expect(receiveSideProblems(result.events), label).toEqual([]);
        expect(restoreOrderProblems(result.events), label).toEqual([]);
        // Savepoints stay aligned: every acknowledgement of one says aligned, with nothing persisted in flight.
        const savepointAcks = result.events.filter((event) => event.type === 'checkpoint-acknowledged' && savepoints.includes(event.checkpointId));
        expect(savepointAcks.filter((event) => event.type === 'checkpoint-acknowledged' && (event.unaligned || event.persistedDataBytes > 0)), label).toEqual([]);
        for (const event of result.events) {
          if (event.type === 'barrier-overtook') seen.overtook += 1;
          if (event.type === 'checkpoint-switched-to-unaligned') seen.switched += 1;
          if (event.type === 'channel-state-restored') seen.restored += 1;
          if (event.type === 'checkpoint-completed' && result.simulation.jobMaster.stats.details(event.checkpointId)?.checkpoint_type === 'UNALIGNED_CHECKPOINT') seen.unalignedCompleted += 1;
        }
        seen.savepoints += savepoints.length;
      }),
      { seed: PROPERTY_SEED + (scenario === 'running-sum' ? 0 : 1), numRuns: RUNS, examples: PINNED[scenario]!.map((c) => [c]) },
    );
    // Not vacuous: the runs overtook, switched, restored channel state and completed checkpoints with records in flight.
    expect(seen.overtook, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.switched, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.restored, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.inFlight, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.unalignedCompleted, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.savepoints, JSON.stringify(seen)).toBeGreaterThan(0);
  });
});

it('flags channel state restored after new input, and new output sent before the restored', () => {
  const base = { time: 5, attempt: 1, checkpointId: 4 };
  expect(
    restoreOrderProblems([
      { ...base, type: 'records-consumed', taskId: 'b#0', channel: 0, count: 1 },
      { ...base, type: 'channel-state-restored', taskId: 'b#0', side: 'input', channel: 0, records: 2 },
      { ...base, type: 'channel-state-restored', taskId: 'a#0', side: 'output', channel: 1, to: 'b#0', records: 3 },
      { ...base, type: 'records-moved', from: 'a#0', to: 'b#0', channel: 1, count: 2, sizeBytes: 20, epoch: 4 },
      { ...base, type: 'records-moved', from: 'a#0', to: 'b#0', channel: 1, count: 1, sizeBytes: 10, epoch: 5 },
    ]),
  ).toEqual(['5 ms: b#0 restored input channel 0 after it consumed new input from it (attempt 1)', '5 ms: a#0 moved new records (epoch 5) to b#0 channel 1 before the 1 restored ones still to send']);
  expect(
    restoreOrderProblems([
      { ...base, type: 'channel-state-restored', taskId: 'a#0', side: 'output', channel: 1, to: 'b#0', records: 3 },
      { ...base, type: 'records-moved', from: 'a#0', to: 'b#0', channel: 1, count: 3, sizeBytes: 30, epoch: 4 },
      { ...base, type: 'records-moved', from: 'a#0', to: 'b#0', channel: 1, count: 1, sizeBytes: 10, epoch: 5 },
      { ...base, type: 'channel-state-restored', taskId: 'b#0', side: 'input', channel: 0, records: 2 },
      { ...base, type: 'records-consumed', taskId: 'b#0', channel: 0, count: 2 },
    ]),
  ).toEqual([]);
});

it('regression: buffers an aligned barrier overtook when its timeout prioritized it, before the checkpoint started, are its channel state', () => {
  // Found by the property above (order-totals, seed 0): totals#0, slowed 409×, read both announcements of
  // checkpoint 7 long after its 1 ms timeout, so the handler prioritized both barriers at once, ahead of 4 records
  // on channel 1, and took the checkpoint only when it read the first of them. The 4 records were dropped from
  // its channel state (the writer had not started), then processed after the snapshot: checkpoint 7's state
  // missed them while its source offsets covered them, and a restore from it would have lost them.
  let simulation: Simulation | null = null;
  const checks: Array<{ checkpointId: number; problems: string[]; inFlight: number }> = [];
  const result = runScenario({
    scenario: 'order-totals',
    parallelism: 1,
    checkpointIntervalMs: 200,
    mode: 'exactly-once',
    seed: 0,
    keys: KEYS,
    recordsPerSecond: RATE,
    faults: [
      { kind: 'slow-task', uid: 'totals', subtask: 0, atMs: 0, factor: 409 },
      { kind: 'kill', uid: 'orders-us', subtask: 0, atMs: 37 },
      { kind: 'kill', uid: 'orders-us', subtask: 0, atMs: 114 },
      { kind: 'kill', uid: 'orders-us', subtask: 0, atMs: 133 },
    ],
    configuration: { 'execution.checkpointing.unaligned.enabled': true, 'execution.checkpointing.aligned-checkpoint-timeout': '1 ms', 'execution.checkpointing.tolerable-failed-checkpoints': 1000 },
    onStart: (started) => (simulation = started),
    onEvent: (event) => {
      if (event.type !== 'checkpoint-completed') return;
      const metadata = simulation!.jobMaster.latestCompletedCheckpoint()!;
      checks.push({ checkpointId: metadata.checkpointId, ...checkpointConsistency(simulation!, metadata, 'order-totals', KEYS, RATE) });
    },
  });
  expect(result.problems).toEqual([]);
  expect(checks.flatMap((check) => check.problems)).toEqual([]);
  // How many records are in flight depends on how the runtime steps a slowed task; that some are, does not.
  expect(checks.find((check) => check.checkpointId === 7)?.inFlight).toBeGreaterThan(0);
  const overtook = result.events.filter((event) => event.type === 'barrier-overtook' && event.checkpointId === 7 && event.taskId === 'totals#0' && event.side === 'input');
  expect(overtook.length).toBeGreaterThan(0);
});
