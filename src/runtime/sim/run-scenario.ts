// Run a named scenario on the deterministic runtime, start to drained: until the latest completed
// checkpoint covers all input and its commit had time to land — for the bounded variant, until the job FINISHED
// (its final checkpoint committed the last records) — or until a fixed time, or until stopped with a
// savepoint, optionally restored from a snapshot. Returns the event log, Flink-shaped checkpoint statistics,
// the committed output and the scenario's verdict on it as the part of a whole run that it is.
import type { ConfigurationMap } from '../../engine/graph/stream-execution-environment';
import type { EngineEvent, EventSink } from '../../engine/events';
import type { CheckpointingStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { OFFSETS_STATE_NAME, type PartitionOffset } from '../../engine/connectors/replayable-source';
import { seededRandom } from '../../engine/ports/random';
import type { Scenario, ScenarioParameters } from '../../scenarios';
import { prepareScenarioJob } from './scenario-job';
import { totalLength, type SourceOffsets } from '../../scenarios/scenario';
import { Simulation } from './simulation';
import { randomFaultPlan, type Fault } from './fault-plan';
import { snapshotJobOf, type SnapshotJob } from '../../engine/format';
import { hasChannelState } from '../../engine/checkpoint/task-state';
import type { StopWithSavepointProgress } from '../../machines/checkpoint-coordinator.machine';
import { pendingTransactionIds, type RestoreSource } from './snapshot-restore';

export interface RunScenarioOptions {
  readonly scenario: string;
  readonly parallelism: number;
  readonly maxParallelism?: number;
  readonly checkpointIntervalMs: number;
  readonly mode: 'exactly-once' | 'at-least-once';
  readonly seed: number;
  /** Explicit faults, plus `randomFaults` drawn from the seed. */
  readonly faults?: readonly Fault[];
  readonly randomFaults?: boolean;
  /** Stop at this virtual time; default: when drained (capped at `maxTimeMs`). */
  readonly untilMs?: number;
  readonly maxTimeMs?: number;
  readonly keys?: number;
  readonly recordsPerSecond?: number;
  /** See ScenarioParameters.unbounded (never drained: give `untilMs`). */
  readonly unbounded?: boolean;
  /** See ScenarioParameters.bounded: the sources end and the run ends when the job does (FINISHED, or FAILED). */
  readonly bounded?: boolean;
  /** Further Flink options (e.g. restart-strategy.*). */
  readonly configuration?: ConfigurationMap;
  /** With state.backend.type=indexeddb: key groups each subtask keeps in memory (small ⇒ eviction). */
  readonly maxResidentKeyGroups?: number;
  readonly onEvent?: EventSink;
  /** Called with the simulation before it starts (to observe storage or the job master during the run). */
  readonly onStart?: (simulation: Simulation) => void;
  /** Keep every event in the result (default true). */
  readonly recordEvents?: boolean;
  /** Start from this snapshot (prepareRestore) instead of empty state. */
  readonly restore?: RestoreSource;
  /** At this virtual time, stop the job with a savepoint (Flink's `flink stop`); the run ends when it FINISHED. */
  readonly stopWithSavepointAtMs?: number;
}

export interface RunScenarioResult {
  readonly scenario: Scenario;
  readonly parameters: ScenarioParameters;
  readonly faults: readonly Fault[];
  readonly events: readonly EngineEvent[];
  readonly checkpoints: CheckpointingStatistics;
  readonly output: readonly unknown[];
  readonly problems: readonly string[];
  readonly drained: boolean;
  readonly endTimeMs: number;
  readonly jobStatus: string;
  readonly numRestarts: number;
  readonly simulation: Simulation;
  /** The stop-with-savepoint, if one was asked for: its savepoint, or why it failed. */
  readonly stop: StopWithSavepointProgress | null;
  /** Set when a stop-with-savepoint was asked for and the job did not end FINISHED with it: why. */
  readonly stopFailure: string | null;
  /** The job's name, operator names and configuration, as snapshot files of this run carry them. */
  readonly snapshotJob: SnapshotJob;
}

export const DEFAULT_KEYS = 100;
export const DEFAULT_RECORDS_PER_SECOND = 100;
/** The default of `maxTimeMs`: the longest a run without `untilMs` goes on, drained or not. */
export const MAX_RUN_TIME_MS = 30 * 60 * 1000;
/** After the covering checkpoint completes: time for notifications and commits to land. */
const DRAIN_GRACE_MS = 100;
const RUN_SLICE_MS = 50;

export function runScenario(options: RunScenarioOptions): RunScenarioResult {
  const { scenario, parameters, built, jobGraph, configuration } = prepareScenarioJob({
    ...options,
    keys: options.keys ?? DEFAULT_KEYS,
    recordsPerSecond: options.recordsPerSecond ?? DEFAULT_RECORDS_PER_SECOND,
  });

  const faults = [...(options.faults ?? [])];
  if (options.randomFaults) {
    const sourceSubtasks = jobGraph.vertices.filter((v) => v.isSource).reduce((sum, v) => sum + v.parallelism, 0);
    const totalRecords = [...built.sources.values()].reduce((sum, topic) => sum + totalLength(topic), 0);
    const streamMs = Math.ceil((totalRecords / (parameters.recordsPerSecond * Math.max(1, sourceSubtasks))) * 1000);
    const targets = jobGraph.vertices.flatMap((v) => v.operators.map((node) => ({ uid: node.uid, parallelism: v.parallelism })));
    const keyedTargets = jobGraph.vertices.flatMap((v) =>
      v.operators.filter((node) => node.keySelector !== null).map((node) => ({ uid: node.uid, parallelism: v.parallelism })),
    );
    // A stream of its own, so adding faults does not shift the runtime's random choices.
    faults.push(...randomFaultPlan(seededRandom(options.seed ^ 0x5eed), targets, keyedTargets, streamMs, options.checkpointIntervalMs));
  }

  const events: EngineEvent[] = [];
  let drainedAt: number | null = null;
  const { restore } = options;
  const simulation: Simulation = new Simulation({
    seed: options.seed,
    jobId: scenario.name,
    jobGraph,
    configuration,
    faults,
    ...(restore ? { initialCheckpoint: restore.metadata, initialCheckpointPointer: restore.pointer, durableStorageOf: restore.storage } : {}),
    ...(options.maxResidentKeyGroups !== undefined ? { maxResidentKeyGroups: options.maxResidentKeyGroups } : {}),
    onEvent: (event) => {
      if (options.recordEvents !== false) events.push(event);
      options.onEvent?.(event);
      if (event.type === 'checkpoint-completed' && drainedAt === null) {
        const latest = simulation.jobMaster.latestCompletedCheckpoint();
        if (latest && coversAllInput(latest, built.sources)) drainedAt = event.time + DRAIN_GRACE_MS;
      }
    },
  });
  const external = simulation.external.output(built.outputName);
  for (const transactionId of restore ? pendingTransactionIds(restore.metadata) : []) external.commitTransaction(transactionId, []);
  options.onStart?.(simulation);
  if (options.stopWithSavepointAtMs !== undefined) simulation.scheduler.schedule(options.stopWithSavepointAtMs, () => simulation.jobMaster.stopWithSavepoint());
  simulation.start();
  const until = options.untilMs ?? options.maxTimeMs ?? MAX_RUN_TIME_MS;
  while (simulation.now < until) {
    // A bounded job ends on its own: FINISHED once its final checkpoint committed, so the run waits for that.
    if (options.untilMs === undefined && !parameters.bounded && drainedAt !== null && simulation.now >= drainedAt && !stopPending(simulation, options)) break;
    if (isTerminal(simulation)) break;
    // A job that ends ends the run at that moment, not at the end of the slice.
    simulation.runUntil(Math.min(until, simulation.now + RUN_SLICE_MS), () => isTerminal(simulation));
  }
  const output = external.records();
  const drained = parameters.bounded ? simulation.jobMaster.status === 'FINISHED' : drainedAt !== null && simulation.now >= drainedAt;
  const stop = options.stopWithSavepointAtMs === undefined ? null : simulation.jobMaster.stopWithSavepointProgress();
  const stopFailure = stopFailureOf(options, stop, simulation.jobMaster.status);
  const problems =
    stopFailure !== null
      ? [stopFailure]
      : stop?.status !== 'COMPLETED' && !drained
        ? [parameters.bounded ? `not FINISHED by ${simulation.now} ms (job ${simulation.jobMaster.status})` : `not drained by ${simulation.now} ms (job ${simulation.jobMaster.status})`]
        : verdict(scenario, parameters, output, [...built.sources.keys()], restore?.metadata ?? null, stop?.status === 'COMPLETED' ? stop.savepoint : null);
  return {
    scenario,
    parameters,
    faults,
    events,
    checkpoints: simulation.jobMaster.stats.statistics(),
    output,
    problems,
    drained,
    endTimeMs: simulation.now,
    jobStatus: simulation.jobMaster.status,
    numRestarts: simulation.jobMaster.numRestarts,
    simulation,
    stop,
    stopFailure,
    snapshotJob: snapshotJobOf(jobGraph, configuration),
  };
}

/**
 * The scenario's check of the run as the part of a whole run that it is: what an exactly-once run commits
 * before the snapshot it started from, its own output, and what would follow the savepoint it stopped with.
 */
function verdict(
  scenario: Scenario,
  parameters: ScenarioParameters,
  output: readonly unknown[],
  sourceUids: readonly string[],
  startedFrom: CheckpointMetadata | null,
  stoppedWith: CheckpointMetadata | null,
): string[] {
  const before = startedFrom ? scenario.expectedOutput(null, sourceOffsetsOf(startedFrom, sourceUids), parameters) : [];
  const after = stoppedWith ? scenario.expectedOutput(sourceOffsetsOf(stoppedWith, sourceUids), null, parameters) : [];
  const whole = [...before, ...output, ...after];
  return parameters.mode === 'exactly-once' ? scenario.checkExactlyOnce(whole, parameters) : scenario.checkAtLeastOnce(whole, parameters);
}

/** Why the stop-with-savepoint asked for did not end the job FINISHED with its savepoint; null if it did (or none was asked for). */
function stopFailureOf(options: RunScenarioOptions, stop: StopWithSavepointProgress | null, jobStatus: string): string | null {
  if (options.stopWithSavepointAtMs === undefined || (stop?.status === 'COMPLETED' && jobStatus === 'FINISHED')) return null;
  const reason = stop === null ? 'the run ended first' : stop.status === 'FAILED' ? stop.reason : `the job is ${jobStatus}`;
  return `stop-with-savepoint at ${options.stopWithSavepointAtMs} ms failed: ${reason}`;
}

function isTerminal(simulation: Simulation): boolean {
  return ['FAILED', 'CANCELED', 'FINISHED'].includes(simulation.jobMaster.status);
}

/** A stop-with-savepoint asked for and not yet settled: the run goes on until it is, drained or not. */
function stopPending(simulation: Simulation, options: RunScenarioOptions): boolean {
  if (options.stopWithSavepointAtMs === undefined) return false;
  const stop = simulation.jobMaster.stopWithSavepointProgress();
  return stop === null || stop.status === 'PENDING' || (stop.status === 'COMPLETED' && simulation.jobMaster.status !== 'FINISHED');
}

/** Source offsets a checkpoint recorded: source uid → partition → next offset. */
export function sourceOffsetsOf(metadata: CheckpointMetadata, sourceUids: Iterable<string>): SourceOffsets {
  const result = new Map<string, Map<number, number>>();
  for (const uid of sourceUids) {
    const offsets = new Map<number, number>();
    const operator = metadata.operators.find((o) => o.operatorUid === uid);
    for (const subtask of operator?.subtaskStates ?? []) {
      for (const entry of (subtask?.operator?.states[OFFSETS_STATE_NAME]?.entries ?? []) as unknown as PartitionOffset[]) {
        offsets.set(entry.partition, entry.offset);
      }
    }
    result.set(uid, offsets);
  }
  return result;
}

function coversAllInput(metadata: CheckpointMetadata, sources: RunScenarioResultSources): boolean {
  // An unaligned checkpoint's in-flight records were not yet through the sink: a later checkpoint covers them.
  if (metadata.operators.some((operator) => operator.subtaskStates.some((state) => state !== undefined && hasChannelState(state)))) return false;
  const offsets = sourceOffsetsOf(metadata, sources.keys());
  for (const [uid, topic] of sources) {
    const recorded = offsets.get(uid)!;
    for (let partition = 0; partition < topic.numberOfPartitions; partition++) {
      if ((recorded.get(partition) ?? 0) < topic.partitionLength(partition)) return false;
    }
  }
  return true;
}

type RunScenarioResultSources = ReturnType<Scenario['build']>['sources'];
