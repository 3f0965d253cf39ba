// Randomized interleavings of per-channel streams (in the spirit of Flink's
// AlignedCheckpointsMassiveRandomTest): the task reads any channel that is not blocked, in an order
// fast-check picks. Seeds are in the test names; a failure prints the sequence read so far, in the
// notation, so it can be pinned as a replay test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBarrierSequence } from './barrier-sequence';
import { createBarrierHandler } from './create-barrier-handler';
import type { BarrierHandlerInput, BarrierHandlerOutcome, ChannelIndex, CheckpointBarrierHandler, CheckpointId, CheckpointingMode } from './types';

/** What upstream sent on a channel for one checkpoint; 'skip' is an upstream that dropped it silently. */
type Delivery = 'barrier' | 'marker' | 'skip';

interface Scenario {
  readonly checkpointIds: readonly CheckpointId[];
  readonly streams: readonly (readonly BarrierHandlerInput[])[];
  readonly picks: readonly number[];
  readonly checkpointsAfterTasksFinish: boolean;
  /** The task aborts checkpointIds[checkpointIndex] itself (e.g. a failed snapshot) before reading step `step`. */
  readonly taskAborts: readonly { step: number; checkpointIndex: number }[];
}

function scenarios(deliveries: readonly Delivery[], maxTaskAborts = 0): fc.Arbitrary<Scenario> {
  return fc
    .record({
      numberOfChannels: fc.integer({ min: 1, max: 4 }),
      increments: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 6 }),
    })
    .chain(({ numberOfChannels, increments }) => {
      const checkpointIds = increments.map((_, index) => increments.slice(0, index + 1).reduce((sum, step) => sum + step, 0));
      const stream = (channel: ChannelIndex) =>
        fc
          .record({
            perCheckpoint: fc.array(fc.record({ dataBefore: fc.integer({ min: 0, max: 3 }), delivery: fc.constantFrom(...deliveries) }), {
              minLength: checkpointIds.length,
              maxLength: checkpointIds.length,
            }),
            trailingData: fc.integer({ min: 0, max: 3 }),
            ends: fc.boolean(),
          })
          .map(({ perCheckpoint, trailingData, ends }) => channelStream(channel, checkpointIds, perCheckpoint, trailingData, ends));
      return fc.record({
        checkpointIds: fc.constant(checkpointIds),
        streams: fc.tuple(...Array.from({ length: numberOfChannels }, (_, channel) => stream(channel))),
        picks: fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 64 }),
        checkpointsAfterTasksFinish: fc.boolean(),
        taskAborts: fc.array(fc.record({ step: fc.nat({ max: 40 }), checkpointIndex: fc.nat({ max: 5 }) }), { maxLength: maxTaskAborts }),
      });
    });
}

function channelStream(
  channel: ChannelIndex,
  checkpointIds: readonly CheckpointId[],
  perCheckpoint: readonly { dataBefore: number; delivery: Delivery }[],
  trailingData: number,
  ends: boolean,
): BarrierHandlerInput[] {
  const inputs: BarrierHandlerInput[] = [];
  const data = (count: number) => {
    for (let index = 0; index < count; index++) inputs.push({ kind: 'data', channel });
  };
  perCheckpoint.forEach(({ dataBefore, delivery }, index) => {
    const checkpointId = checkpointIds[index] ?? 0;
    data(dataBefore);
    if (delivery === 'barrier') inputs.push({ kind: 'barrier', channel, checkpointId });
    if (delivery === 'marker') inputs.push({ kind: 'cancellation-marker', channel, checkpointId });
  });
  data(trailingData);
  if (ends) inputs.push({ kind: 'end-of-partition', channel });
  return inputs;
}

/** What the task has read so far, per channel, to judge each outcome against. */
class ReadLog {
  readonly read: BarrierHandlerInput[] = [];
  readonly barriersRead = new Map<CheckpointId, Set<ChannelIndex>>();
  readonly ended = new Set<ChannelIndex>();
  /** Per channel: the last barrier read and whether data was read after it. */
  readonly sinceLastBarrier = new Map<ChannelIndex, { checkpointId: CheckpointId; dataAfter: boolean }>();

  record(input: BarrierHandlerInput): void {
    this.read.push(input);
    if (input.kind === 'barrier') {
      const channels = this.barriersRead.get(input.checkpointId) ?? new Set<ChannelIndex>();
      this.barriersRead.set(input.checkpointId, channels.add(input.channel));
      this.sinceLastBarrier.set(input.channel, { checkpointId: input.checkpointId, dataAfter: false });
    } else if (input.kind === 'data') {
      const last = this.sinceLastBarrier.get(input.channel);
      if (last !== undefined) last.dataAfter = true;
    } else if (input.kind === 'end-of-partition') {
      this.ended.add(input.channel);
    }
  }

  fail(message: string): never {
    throw new Error(`${message}\n  after: ${formatBarrierSequence(this.read)}`);
  }
}

/**
 * Reads the streams in the scenario's order, checking every outcome; returns the handler at the end.
 * With `endOfPartitionWhenBlocked`, a channel whose next input is its end of partition is readable even
 * while blocked, as Flink's handler accepts it (AlignedCheckpointsTest.testDeduplicateChannelsWithBothBarrierAndEndOfPartition).
 */
function run(
  mode: CheckpointingMode,
  scenario: Scenario,
  check: (outcome: BarrierHandlerOutcome, log: ReadLog, handler: CheckpointBarrierHandler) => void,
  endOfPartitionWhenBlocked = false,
) {
  const handler = createBarrierHandler(mode, scenario.streams.length, { checkpointsAfterTasksFinish: scenario.checkpointsAfterTasksFinish });
  const positions = scenario.streams.map(() => 0);
  const log: ReadLog = new ReadLog();
  for (let step = 0; ; step++) {
    for (const { checkpointIndex } of scenario.taskAborts.filter((taskAbort) => taskAbort.step === step)) {
      const checkpointId = scenario.checkpointIds[checkpointIndex % scenario.checkpointIds.length] ?? 0;
      check(handler.abort(checkpointId, 'TASK_CHECKPOINT_FAILURE'), log, handler);
    }
    const readable = scenario.streams
      .map((_, channel) => channel)
      .filter((channel) => {
        const next = scenario.streams[channel]?.[positions[channel] ?? 0];
        if (next === undefined) return false;
        return !handler.isBlocked(channel) || (endOfPartitionWhenBlocked && next.kind === 'end-of-partition');
      });
    if (readable.length === 0) break;
    const channel = readable[(scenario.picks[step % scenario.picks.length] ?? 0) % readable.length] ?? 0;
    const input = scenario.streams[channel]?.[positions[channel] ?? 0];
    if (input === undefined) log.fail(`no input at channel ${channel}`);
    positions[channel] = (positions[channel] ?? 0) + 1;
    log.record(input);
    check(handler.process(input), log, handler);
  }
  return { handler, log };
}

function checkAlignedInvariants(seen: Set<CheckpointId>, lastTriggered: { id: CheckpointId }) {
  return (outcome: BarrierHandlerOutcome, log: ReadLog, handler: CheckpointBarrierHandler) => {
    for (const checkpointId of outcome.triggered) {
      if (outcome.blocked.length > 0) log.fail(`triggered ${checkpointId} with channels ${outcome.blocked.join(',')} still blocked`);
      if (checkpointId <= lastTriggered.id) log.fail(`triggered ${checkpointId} after ${lastTriggered.id}`);
      lastTriggered.id = checkpointId;
      for (let channel = 0; channel < handler.numberOfChannels; channel++) {
        const delivered = log.barriersRead.get(checkpointId)?.has(channel) ?? false;
        if (!delivered && !log.ended.has(channel)) log.fail(`triggered ${checkpointId} before its barrier on channel ${channel}`);
        const since = log.sinceLastBarrier.get(channel);
        if (delivered && (since?.checkpointId !== checkpointId || since.dataAfter)) {
          log.fail(`channel ${channel} was read past barrier ${checkpointId} before it triggered`);
        }
      }
    }
    for (const { checkpointId } of [...outcome.aborted, ...outcome.triggered.map((id) => ({ checkpointId: id }))]) {
      if (seen.has(checkpointId)) log.fail(`checkpoint ${checkpointId} reported twice`);
      seen.add(checkpointId);
    }
    const pending = handler.pendingCheckpointIds()[0];
    for (const channel of outcome.blocked) {
      if (log.ended.has(channel)) log.fail(`channel ${channel} still blocked after its end of partition`);
      if (pending === undefined || !log.barriersRead.get(pending)?.has(channel)) log.fail(`channel ${channel} blocked without a pending barrier`);
    }
  };
}

describe('aligned barrier handler, randomized interleavings', () => {
  it('seed 1337: triggers only aligned checkpoints, in increasing order, never with a channel blocked or read past its barrier', () => {
    fc.assert(
      fc.property(scenarios(['barrier', 'barrier', 'barrier', 'barrier', 'barrier', 'marker', 'skip'], 3), (scenario) => {
        const lastTriggered = { id: -1 };
        const { handler, log } = run('exactly-once', scenario, checkAlignedInvariants(new Set(), lastTriggered));
        if (log.ended.size === handler.numberOfChannels && handler.blockedChannels().length > 0) log.fail('blocked after every channel ended');
      }),
      { seed: 1337, numRuns: 400 },
    );
  });

  it('seed 4242: triggers every checkpoint whose barrier every channel carries', () => {
    fc.assert(
      fc.property(scenarios(['barrier', 'barrier', 'barrier', 'marker', 'skip']), (scenario) => {
        const triggered: CheckpointId[] = [];
        const { log } = run('exactly-once', scenario, (outcome) => triggered.push(...outcome.triggered));
        const everywhere = scenario.checkpointIds.filter((checkpointId) =>
          scenario.streams.every((stream) => stream.some((input) => input.kind === 'barrier' && input.checkpointId === checkpointId)),
        );
        const missing = everywhere.filter((checkpointId) => !triggered.includes(checkpointId));
        if (missing.length > 0) log.fail(`never triggered ${missing.join(',')} though every channel carried its barrier`);
      }),
      { seed: 4242, numRuns: 400 },
    );
  });
});

describe('aligned barrier handler, end of partition read from blocked channels', () => {
  it('seed 147: a finished channel is unblocked, and nothing triggers before every open channel delivered its barrier', () => {
    fc.assert(
      fc.property(scenarios(['barrier', 'barrier', 'barrier', 'barrier', 'marker', 'skip'], 2), (scenario) => {
        const { handler, log } = run('exactly-once', scenario, checkAlignedInvariants(new Set(), { id: -1 }), true);
        if (log.ended.size === handler.numberOfChannels && handler.pendingCheckpointIds().length > 0) log.fail('pending after every channel ended');
      }),
      { seed: 147, numRuns: 400 },
    );
  });

  it('seed 1470: triggers every checkpoint whose barrier every channel carries, ends read from blocked channels included', () => {
    fc.assert(
      fc.property(scenarios(['barrier', 'barrier', 'barrier', 'skip']), (scenario) => {
        const triggered: CheckpointId[] = [];
        const { log } = run('exactly-once', { ...scenario, checkpointsAfterTasksFinish: true }, (outcome) => triggered.push(...outcome.triggered), true);
        const everywhere = scenario.checkpointIds.filter((checkpointId) =>
          scenario.streams.every((stream) => stream.some((input) => input.kind === 'barrier' && input.checkpointId === checkpointId)),
        );
        const missing = everywhere.filter((checkpointId) => !triggered.includes(checkpointId));
        if (missing.length > 0) log.fail(`never triggered ${missing.join(',')} though every channel carried its barrier`);
      }),
      { seed: 1470, numRuns: 400 },
    );
  });
});

describe('barrier tracker, randomized interleavings', () => {
  it('seed 2024: never blocks, triggers in increasing order, and only after every open channel delivered the barrier', () => {
    fc.assert(
      fc.property(scenarios(['barrier', 'barrier', 'barrier', 'barrier', 'marker', 'skip'], 3), (scenario) => {
        let lastTriggered = -1;
        const reported = new Set<CheckpointId>();
        run('at-least-once', scenario, (outcome, log, handler) => {
          if (outcome.blocked.length > 0) log.fail('the tracker blocked a channel');
          for (const checkpointId of outcome.triggered) {
            if (checkpointId <= lastTriggered) log.fail(`triggered ${checkpointId} after ${lastTriggered}`);
            lastTriggered = checkpointId;
            for (let channel = 0; channel < handler.numberOfChannels; channel++) {
              if (!log.barriersRead.get(checkpointId)?.has(channel) && !log.ended.has(channel)) {
                log.fail(`triggered ${checkpointId} before its barrier on channel ${channel}`);
              }
            }
          }
          for (const checkpointId of [...outcome.triggered, ...outcome.aborted.map((aborted) => aborted.checkpointId)]) {
            if (reported.has(checkpointId)) log.fail(`checkpoint ${checkpointId} reported twice`);
            reported.add(checkpointId);
          }
        });
      }),
      { seed: 2024, numRuns: 400 },
    );
  });

  it('seed 7: triggers every checkpoint whose barrier every channel carries, when no marker cancels one', () => {
    fc.assert(
      fc.property(scenarios(['barrier', 'barrier', 'barrier', 'skip']), (scenario) => {
        const triggered: CheckpointId[] = [];
        const { log } = run('at-least-once', { ...scenario, checkpointsAfterTasksFinish: true }, (outcome) => triggered.push(...outcome.triggered));
        const everywhere = scenario.checkpointIds.filter((checkpointId) =>
          scenario.streams.every((stream) => stream.some((input) => input.kind === 'barrier' && input.checkpointId === checkpointId)),
        );
        expect(everywhere.filter((checkpointId) => !triggered.includes(checkpointId)), formatBarrierSequence(log.read)).toEqual([]);
      }),
      { seed: 7, numRuns: 400 },
    );
  });
});
