// Randomized runs of the alternating handler (unaligned checkpoints enabled), with a model of the task
// around it: per-channel queues read in an order fast-check picks (never from a blocked channel),
// announcements read at any time before their barrier, announced barriers moved to the head of their
// queue when the handler prioritizes them (the task captures the buffers they overtake), and a clock that
// moves on in random steps (advance-time fires due timers). Checkpoints are unaligned (U), aligned with a
// timeout (T, possibly switched by an upstream that sends its barrier unaligned), aligned (A) or savepoints.
// Seeds are in the test names; a failure prints the inputs fed so far, in the notation.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { formatBarrierSequence } from './barrier-sequence';
import { isUnalignedCheckpoint } from './checkpoint-options';
import { createBarrierHandler } from './create-barrier-handler';
import type { BarrierHandlerInput, BarrierHandlerOutcome, ChannelIndex, CheckpointBarrierHandler, CheckpointId, CheckpointOptions } from './types';

type CheckpointKind = 'U' | 'T' | 'A' | 'SP';
type Delivery = 'barrier' | 'marker' | 'skip';

interface CheckpointPlan {
  readonly checkpointId: CheckpointId;
  readonly kind: CheckpointKind;
  readonly timestamp: number;
  readonly timeoutMs: number;
}

/** One element of a channel's stream, with what the model needs to know about it. */
interface Element {
  readonly input: BarrierHandlerInput;
  /** Index in the channel's stream as upstream sent it (prioritizing moves barriers, not this). */
  readonly index: number;
  readonly announced: boolean;
}

interface Scenario {
  readonly checkpoints: readonly CheckpointPlan[];
  readonly streams: readonly (readonly Element[])[];
  readonly picks: readonly number[];
  readonly clockSteps: readonly number[];
  readonly checkpointsAfterTasksFinish: boolean;
}

function optionsFor(plan: CheckpointPlan, upstreamUnaligned: boolean): CheckpointOptions | undefined {
  switch (plan.kind) {
    case 'U':
      return { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' };
    case 'T':
      return upstreamUnaligned
        ? { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' }
        : { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED', alignedCheckpointTimeoutMs: plan.timeoutMs };
    case 'A':
      return undefined;
    case 'SP':
      return { checkpointType: 'SAVEPOINT' };
  }
}

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    numberOfChannels: fc.integer({ min: 1, max: 4 }),
    plans: fc.array(
      fc.record({
        increment: fc.integer({ min: 1, max: 3 }),
        kind: fc.constantFrom<CheckpointKind>('U', 'T', 'T', 'T', 'A', 'SP'),
        startAfterMs: fc.integer({ min: 0, max: 40 }),
        timeoutMs: fc.integer({ min: 1, max: 30 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .chain(({ numberOfChannels, plans }) => {
    let checkpointId = 0;
    let timestamp = 0;
    const checkpoints = plans.map((plan) => {
      checkpointId += plan.increment;
      timestamp += plan.startAfterMs;
      return { checkpointId, kind: plan.kind, timestamp, timeoutMs: plan.timeoutMs };
    });
    const perCheckpoint = fc.record({
      dataBefore: fc.integer({ min: 0, max: 3 }),
      delivery: fc.constantFrom<Delivery>('barrier', 'barrier', 'barrier', 'barrier', 'marker', 'skip'),
      announced: fc.boolean(),
      upstreamUnaligned: fc.integer({ min: 0, max: 5 }).map((roll) => roll === 0),
    });
    const stream = (channel: ChannelIndex) =>
      fc
        .record({
          steps: fc.array(perCheckpoint, { minLength: checkpoints.length, maxLength: checkpoints.length }),
          trailingData: fc.integer({ min: 0, max: 3 }),
          ends: fc.boolean(),
        })
        .map(({ steps, trailingData, ends }) => {
          const elements: Element[] = [];
          const push = (input: BarrierHandlerInput, announced = false) => elements.push({ input, index: elements.length, announced });
          const data = (count: number) => {
            for (let i = 0; i < count; i++) push({ kind: 'data', channel });
          };
          steps.forEach((step, position) => {
            const plan = checkpoints[position];
            if (plan === undefined) return;
            data(step.dataBefore);
            const upstreamUnaligned = plan.kind === 'T' && step.upstreamUnaligned;
            const options = optionsFor(plan, upstreamUnaligned);
            if (step.delivery === 'barrier') {
              const barrier: BarrierHandlerInput = { kind: 'barrier', channel, checkpointId: plan.checkpointId, timestamp: plan.timestamp, ...(options ? { options } : {}) };
              // Flink announces only timeoutable aligned barriers (TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER).
              push(barrier, plan.kind === 'T' && !upstreamUnaligned && step.announced);
            }
            if (step.delivery === 'marker') push({ kind: 'cancellation-marker', channel, checkpointId: plan.checkpointId });
          });
          data(trailingData);
          if (ends) push({ kind: 'end-of-partition', channel });
          return elements;
        });
    return fc.record({
      checkpoints: fc.constant(checkpoints),
      streams: fc.tuple(...Array.from({ length: numberOfChannels }, (_, channel) => stream(channel))),
      picks: fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 64 }),
      clockSteps: fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 16 }),
      checkpointsAfterTasksFinish: fc.boolean(),
    });
  });

/** The task around the handler: its queues, its clock, and what happened to every buffer. */
class TaskModel {
  readonly fed: BarrierHandlerInput[] = [];
  readonly handler: CheckpointBarrierHandler;
  readonly queues: Element[][];
  /** Barriers whose announcement the task read. */
  private readonly announcementsRead = new Set<Element>();
  nowMs = 0;
  step = 0;
  readonly readAt = new Map<Element, number>();
  readonly capturedBy = new Map<Element, CheckpointId>();
  readonly overtakenFor = new Map<CheckpointId, Set<Element>>();
  readonly triggeredAt = new Map<CheckpointId, { step: number; options: CheckpointOptions }>();
  readonly aborted = new Set<CheckpointId>();
  readonly captureFinished = new Set<CheckpointId>();
  readonly upstreamUnalignedRead = new Set<CheckpointId>();

  constructor(
    readonly scenario: Scenario,
  ) {
    this.handler = createBarrierHandler('exactly-once', scenario.streams.length, {
      unalignedEnabled: true,
      checkpointsAfterTasksFinish: scenario.checkpointsAfterTasksFinish,
    });
    this.queues = scenario.streams.map((stream) => [...stream]);
  }

  plan(checkpointId: CheckpointId): CheckpointPlan {
    const plan = this.scenario.checkpoints.find((candidate) => candidate.checkpointId === checkpointId);
    if (plan === undefined) this.fail(`no checkpoint ${checkpointId} in the plan`);
    return plan;
  }

  fail(message: string): never {
    throw new Error(`${message}\n  fed: ${formatBarrierSequence(this.fed)}`);
  }

  /** What the task could read now: the head of an unblocked channel, or the announcement of its next barrier. */
  readable(): Array<{ element: Element; announcement: boolean }> {
    return this.queues.flatMap((queue, channel) => {
      if (this.handler.isBlocked(channel) && queue[0]?.input.kind !== 'end-of-partition') return [];
      const head = queue[0];
      if (head === undefined) return [];
      const choices = [{ element: head, announcement: false }];
      const nextEvent = queue.find((element) => element.input.kind !== 'data');
      if (nextEvent?.announced && !this.announcementsRead.has(nextEvent) && !this.handler.isBlocked(channel)) {
        choices.push({ element: nextEvent, announcement: true });
      }
      return choices;
    });
  }

  feed(input: BarrierHandlerInput, element?: Element): BarrierHandlerOutcome {
    this.fed.push(input);
    this.step++;
    if (input.kind === 'barrier' && input.options !== undefined && isUnalignedCheckpoint(input.options)) this.upstreamUnalignedRead.add(input.checkpointId);
    const outcome = this.handler.process(input);
    if (element !== undefined && input.kind !== 'announcement') this.readAt.set(element, this.step);
    if (element !== undefined && outcome.captured !== null) this.capturedBy.set(element, outcome.captured);
    this.apply(outcome);
    return outcome;
  }

  read(choice: { element: Element; announcement: boolean }): void {
    const { element, announcement } = choice;
    if (announcement) {
      this.announcementsRead.add(element);
      const barrier = element.input;
      if (barrier.kind !== 'barrier') this.fail('announced a non-barrier');
      this.feed({ kind: 'announcement', channel: barrier.channel, checkpointId: barrier.checkpointId, timestamp: barrier.timestamp ?? 0, ...(barrier.options ? { options: barrier.options } : {}) });
      return;
    }
    const channel = 'channel' in element.input ? element.input.channel : -1;
    this.queues[channel]?.shift();
    this.feed(element.input, element);
  }

  advanceClock(toMs: number): void {
    this.nowMs = toMs;
    this.feed({ kind: 'advance-time', toMs });
  }

  private apply(outcome: BarrierHandlerOutcome): void {
    this.checkTimers(outcome);
    for (const { checkpointId } of outcome.aborted) {
      if (this.aborted.has(checkpointId)) this.fail(`${checkpointId} aborted twice`);
      this.aborted.add(checkpointId);
    }
    for (const trigger of outcome.triggers) {
      if (this.triggeredAt.has(trigger.checkpointId)) this.fail(`${trigger.checkpointId} triggered twice`);
      const last = Math.max(-1, ...this.triggeredAt.keys());
      if (trigger.checkpointId <= last) this.fail(`triggered ${trigger.checkpointId} after ${last}`);
      this.triggeredAt.set(trigger.checkpointId, { step: this.step, options: trigger.options });
      this.checkTrigger(outcome, trigger.checkpointId, trigger.options);
    }
    for (const checkpointId of outcome.inputCaptureFinished) this.captureFinished.add(checkpointId);
    for (const { channel, checkpointId } of outcome.prioritized) this.prioritize(channel, checkpointId);
    const timer = this.handler.nextTimerMs();
    const pending = this.handler.pendingCheckpointIds()[0];
    if (timer !== null && pending !== undefined) {
      const plan = this.plan(pending);
      if (timer < plan.timestamp + plan.timeoutMs) this.fail(`timer of ${pending} set for ${timer}, before its timeout ${plan.timestamp + plan.timeoutMs}`);
    }
  }

  /** A switch to unaligned (and a barrier prioritized for it) only once the timeout passed, or an upstream switched. */
  private checkTimers(outcome: BarrierHandlerOutcome): void {
    const early = (checkpointId: CheckpointId) => {
      const plan = this.plan(checkpointId);
      return plan.kind === 'T' && !this.upstreamUnalignedRead.has(checkpointId) && this.nowMs < plan.timestamp + plan.timeoutMs;
    };
    for (const trigger of outcome.triggers) {
      if (isUnalignedCheckpoint(trigger.options) && early(trigger.checkpointId)) this.fail(`${trigger.checkpointId} switched to unaligned at ${this.nowMs}, before its timeout`);
    }
    for (const { checkpointId } of outcome.prioritized) {
      if (this.plan(checkpointId).kind !== 'T') this.fail(`prioritized a barrier of ${checkpointId}, which is not aligned with a timeout`);
      if (early(checkpointId)) this.fail(`prioritized ${checkpointId} at ${this.nowMs}, before its timeout`);
    }
  }

  private checkTrigger(outcome: BarrierHandlerOutcome, checkpointId: CheckpointId, options: CheckpointOptions): void {
    const plan = this.plan(checkpointId);
    if (plan.kind === 'U' && !isUnalignedCheckpoint(options)) this.fail(`unaligned checkpoint ${checkpointId} triggered aligned`);
    if (plan.kind === 'U' && outcome.started !== checkpointId) this.fail(`unaligned checkpoint ${checkpointId} not triggered on its first barrier`);
    if ((plan.kind === 'A' || plan.kind === 'SP') && isUnalignedCheckpoint(options)) this.fail(`${plan.kind} checkpoint ${checkpointId} triggered unaligned`);
    if (isUnalignedCheckpoint(options)) return;
    // Aligned: every open channel delivered its barrier, and none was read past it.
    if (outcome.blocked.length > 0) this.fail(`aligned ${checkpointId} triggered with channels ${outcome.blocked.join(',')} blocked`);
    this.scenario.streams.forEach((stream, channel) => {
      const barrier = stream.find((element) => element.input.kind === 'barrier' && element.input.checkpointId === checkpointId);
      const ended = stream.some((element) => element.input.kind === 'end-of-partition' && this.readAt.has(element));
      if (ended) return;
      if (barrier === undefined || !this.readAt.has(barrier)) this.fail(`aligned ${checkpointId} triggered before its barrier on channel ${channel}`);
      const readPast = stream.some((element) => element.index > barrier.index && element.input.kind === 'data' && this.readAt.has(element));
      if (readPast) this.fail(`channel ${channel} read past barrier ${checkpointId} before it triggered aligned`);
    });
  }

  /** Moves the barrier to the head of its queue; the buffers it overtakes are channel state, captured by the task. */
  private prioritize(channel: ChannelIndex, checkpointId: CheckpointId): void {
    const queue = this.queues[channel] ?? [];
    const position = queue.findIndex((element) => element.input.kind === 'barrier' && element.input.checkpointId === checkpointId);
    const barrier = queue[position];
    if (barrier === undefined) this.fail(`prioritized B(${checkpointId},${channel}), which is not queued`);
    if (!this.announcementsRead.has(barrier)) this.fail(`prioritized B(${checkpointId},${channel}) before its announcement`);
    if (queue.slice(0, position).some((element) => element.input.kind !== 'data')) this.fail(`prioritized B(${checkpointId},${channel}) over an event`);
    const overtaken = this.overtakenFor.get(checkpointId) ?? new Set<Element>();
    for (const element of queue.slice(0, position)) overtaken.add(element);
    this.overtakenFor.set(checkpointId, overtaken);
    queue.splice(position, 1);
    queue.unshift(barrier);
  }

  /**
   * Every buffer before barrier n on its channel and read after n's unaligned trigger (or overtaken by a
   * prioritized barrier n) is channel state of n exactly once; no buffer after barrier n is.
   */
  checkCaptures(): void {
    for (const [checkpointId, { step, options }] of this.triggeredAt) {
      if (!isUnalignedCheckpoint(options) || !this.captureFinished.has(checkpointId) || this.aborted.has(checkpointId)) continue;
      this.scenario.streams.forEach((stream, channel) => {
        const end = stream.find((element) => element.input.kind === 'end-of-partition' && this.readAt.has(element));
        const barrier = stream.find((element) => element.input.kind === 'barrier' && element.input.checkpointId === checkpointId) ?? end;
        if (barrier === undefined) this.fail(`${checkpointId} completed without a barrier or end on channel ${channel}`);
        for (const element of stream) {
          if (element.input.kind !== 'data') continue;
          const byHandler = this.capturedBy.get(element) === checkpointId;
          const byTask = this.overtakenFor.get(checkpointId)?.has(element) ?? false;
          const readAt = this.readAt.get(element);
          const expected = element.index < barrier.index && (byTask || (readAt !== undefined && readAt > step));
          if (byHandler && byTask) this.fail(`d${channel} #${element.index} captured twice for ${checkpointId}`);
          if (expected !== (byHandler || byTask)) {
            this.fail(`d${channel} #${element.index} ${expected ? 'not captured' : 'captured'} for ${checkpointId} (read at ${readAt}, triggered at ${step})`);
          }
        }
      });
    }
    // None after: a buffer the handler captured for m comes before m's barrier on its channel. (Not before
    // its marker: Flink ignores a marker of a checkpoint that only an announcement started, as
    // processCancellationBarrier needs an aligned channel; that upstream's decline aborts m at the coordinator.)
    for (const [element, checkpointId] of this.capturedBy) {
      const channel = element.input.kind === 'data' ? element.input.channel : -1;
      const event = this.scenario.streams[channel]?.find(
        (candidate) => candidate.input.kind === 'barrier' && candidate.input.checkpointId === checkpointId,
      );
      if (event !== undefined && element.index > event.index) this.fail(`d${channel} #${element.index} after barrier ${checkpointId} captured for it`);
      const trigger = this.triggeredAt.get(checkpointId);
      if (trigger === undefined || !isUnalignedCheckpoint(trigger.options)) this.fail(`d${channel} captured for ${checkpointId}, which did not trigger unaligned`);
    }
  }
}

function run(scenario: Scenario): TaskModel {
  const task = new TaskModel(scenario);
  for (let step = 0; step < 400; step++) {
    const clockStep = scenario.clockSteps[step % scenario.clockSteps.length] ?? 0;
    if (clockStep > 15) task.advanceClock(task.nowMs + clockStep - 15);
    const readable = task.readable();
    if (readable.length === 0) {
      // Nothing to read: only a timer can move things on (a stuck alignment times out, or nothing happens).
      const timer = task.handler.nextTimerMs();
      if (timer === null) break;
      task.advanceClock(Math.max(timer, task.nowMs));
      continue;
    }
    const choice = readable[(scenario.picks[step % scenario.picks.length] ?? 0) % readable.length];
    if (choice !== undefined) task.read(choice);
  }
  return task;
}

describe('alternating barrier handler, randomized interleavings with unaligned checkpoints and timeouts', () => {
  it('seed 909: captures every buffer in flight exactly once, none after its barrier; never reads a blocked channel; timers never fire early', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        run(scenario).checkCaptures();
      }),
      { seed: 909, numRuns: 500 },
    );
  });

  it('seed 7601: the same with the task reading in another order', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        run(scenario).checkCaptures();
      }),
      { seed: 7601, numRuns: 500 },
    );
  });

  it('seed 31: a checkpoint whose barrier every channel carries, and which no marker or newer barrier cuts, triggers once', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const task = run({ ...scenario, checkpointsAfterTasksFinish: true });
        const hasMarkers = scenario.streams.some((stream) => stream.some((element) => element.input.kind === 'cancellation-marker'));
        const everywhere = scenario.checkpoints.filter((plan) =>
          scenario.streams.every((stream) => stream.some((element) => element.input.kind === 'barrier' && element.input.checkpointId === plan.checkpointId)),
        );
        const skipsSomewhere = scenario.checkpoints.length !== everywhere.length;
        if (hasMarkers || skipsSomewhere) return;
        const missing = everywhere.filter((plan) => !task.triggeredAt.has(plan.checkpointId));
        if (missing.length > 0) task.fail(`never triggered ${missing.map((plan) => plan.checkpointId).join(',')}`);
        task.checkCaptures();
      }),
      { seed: 31, numRuns: 300 },
    );
  });
});
