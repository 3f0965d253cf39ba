// Test fixtures for the Checkpoints tab: a CheckpointsSource over a recorded deterministic run (the
// statistics fold of its events, as the job master reports them) and a hand-written Flink-shaped source
// for what the simulator does not produce here (unaligned subtasks, aborted ones, a real job's vertex ids).
import type { CheckpointStatistics, CheckpointingStatistics, StatsSummary, SubtaskCheckpointStatistics, TaskCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats';
import { foldCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats-fold';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import type { EngineEvent } from '../../engine/events';
import type { CheckpointId, VertexId } from '../../engine/ids';
import { parseFault } from '../../runtime/sim/fault-plan';
import type { RunScenarioOptions } from '../../runtime/sim/run-scenario';
import { deployedRun } from '../graph/deployed-run.fixture';
import type { CheckpointsSource, CheckpointsVertex, SubtaskDetailsSummary, VertexCheckpointDetails } from './checkpoints-source';

/**
 * running-sum at parallelism 4: sum#2 runs 6× slower from the start (its alignment and snapshots lag),
 * sum#0's upload of checkpoint 3 fails (a FAILED checkpoint), and the run stops while the last is in progress.
 */
export const RECORDED_RUN: Omit<RunScenarioOptions, 'onEvent'> = {
  scenario: 'running-sum',
  parallelism: 4,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed: 3,
  keys: 40,
  untilMs: 1203,
  faults: [parseFault('slow-task:sum#2@0x200'), parseFault('fail-snapshot:sum#0@3')],
  configuration: { 'execution.checkpointing.tolerable-failed-checkpoints': 3 },
};

const CONFIG: CheckpointConfigInfo = {
  mode: 'exactly_once',
  interval: 200,
  timeout: 600_000,
  min_pause: 0,
  max_concurrent: 1,
  externalization: { enabled: true, delete_on_cancellation: true },
  state_backend: 'HashMapStateBackend',
  checkpoint_storage: 'IndexedDbCheckpointStorage',
  unaligned_checkpoints: false,
  tolerable_failed_checkpoints: 3,
  aligned_checkpoint_timeout: 0,
  checkpoints_after_tasks_finish: true,
  state_changelog_enabled: false,
};

/** A source over a recorded run's events (test-only; the page's own adapter lives elsewhere). */
export function recordedRunSource(events: readonly EngineEvent[] = deployedRun(RECORDED_RUN), config: CheckpointConfigInfo = CONFIG): CheckpointsSource {
  const fold = foldCheckpointStatistics(events);
  const deployed = events.find((event) => event.type === 'job-deployed');
  const vertices: CheckpointsVertex[] = deployed?.type === 'job-deployed' ? deployed.vertices.map((v) => ({ id: v.vertexId, name: v.name, parallelism: v.parallelism })) : [];
  return {
    label: "this page's run",
    overview: () => fold.statistics(),
    config: () => config,
    details: (id) => fold.details(id as CheckpointId),
    subtaskDetails: (id, vertexId) => fold.subtaskDetails(id as CheckpointId, vertexId as VertexId) as VertexCheckpointDetails | null,
    vertices: () => vertices,
  };
}

const ZERO: StatsSummary = { min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
const stat = (values: readonly number[]): StatsSummary => {
  if (values.length === 0) return ZERO;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { min: sorted[0]!, max: sorted.at(-1)!, avg: Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length), p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), p999: at(0.999) };
};

/** 2026-03-02 10:00:00 UTC: a real job's trigger timestamps are epoch milliseconds. */
export const FLINK_TRIGGER_MS = 1_772_445_600_000;
export const FLINK_SOURCE_ID = 'cbc357ccb763df2852fee8c4fc7d55f2';
export const FLINK_WINDOW_ID = '90bea66de1c231edf33913ecd54406c1';

interface SubtaskSpec {
  readonly startDelay: number;
  readonly alignment: number;
  readonly sync: number;
  readonly async: number;
  /** ack_timestamp − trigger; more than the phases when the ack travelled or queued. */
  readonly endToEnd: number;
  readonly size?: number;
  readonly unaligned?: boolean;
  readonly aborted?: boolean;
  readonly persisted?: number;
}

function subtask(index: number, trigger: number, spec: SubtaskSpec | null): SubtaskCheckpointStatistics {
  if (!spec) return { index, status: 'pending_or_failed' };
  const size = spec.size ?? 4096;
  return {
    index,
    status: 'completed',
    ack_timestamp: trigger + spec.endToEnd,
    end_to_end_duration: spec.endToEnd,
    checkpointed_size: size,
    state_size: size * 3,
    checkpoint: { sync: spec.sync, async: spec.async },
    alignment: { buffered: 0, processed: 2048, persisted: spec.persisted ?? 0, duration: spec.alignment },
    start_delay: spec.startDelay,
    unaligned_checkpoint: spec.unaligned ?? false,
    aborted: spec.aborted ?? false,
  };
}

interface CheckpointSpec {
  readonly id: number;
  readonly status: 'COMPLETED' | 'FAILED' | 'IN_PROGRESS';
  readonly type?: string;
  readonly triggerOffsetMs: number;
  readonly failureOffsetMs?: number;
  readonly failureMessage?: string;
  readonly vertices: Readonly<Record<string, ReadonlyArray<SubtaskSpec | null>>>;
}

/**
 * A real job's checkpoints as Flink 1.20 serves them: 4 window subtasks behind 2 source subtasks; 12 is
 * unaligned with window[3] slow and its ack held back 30 ms; 13 failed on window[1]; 14 is in progress.
 */
const FLINK_CHECKPOINTS: readonly CheckpointSpec[] = [
  {
    id: 12,
    status: 'COMPLETED',
    type: 'UNALIGNED_CHECKPOINT',
    triggerOffsetMs: 0,
    vertices: {
      [FLINK_SOURCE_ID]: [{ startDelay: 3, alignment: 0, sync: 1, async: 10, endToEnd: 14 }, { startDelay: 2, alignment: 0, sync: 1, async: 11, endToEnd: 14 }],
      [FLINK_WINDOW_ID]: [
        { startDelay: 20, alignment: 40, sync: 5, async: 60, endToEnd: 85, unaligned: true, persisted: 65536 },
        { startDelay: 22, alignment: 35, sync: 5, async: 55, endToEnd: 82, unaligned: true, persisted: 60000 },
        { startDelay: 21, alignment: 38, sync: 4, async: 58, endToEnd: 83, unaligned: true, persisted: 61000 },
        { startDelay: 25, alignment: 120, sync: 6, async: 150, endToEnd: 211, unaligned: true, persisted: 900_000 },
      ],
    },
  },
  {
    id: 13,
    status: 'FAILED',
    triggerOffsetMs: 60_000,
    failureOffsetMs: 600_000,
    failureMessage: 'Checkpoint expired before completing.',
    vertices: {
      [FLINK_SOURCE_ID]: [{ startDelay: 2, alignment: 0, sync: 1, async: 9, endToEnd: 12 }, { startDelay: 2, alignment: 0, sync: 1, async: 9, endToEnd: 12 }],
      [FLINK_WINDOW_ID]: [{ startDelay: 18, alignment: 30, sync: 4, async: 50, endToEnd: 102 }, null, { startDelay: 18, alignment: 31, sync: 4, async: 52, endToEnd: 105, aborted: true }, null],
    },
  },
  {
    id: 14,
    status: 'IN_PROGRESS',
    triggerOffsetMs: 660_000,
    vertices: {
      [FLINK_SOURCE_ID]: [{ startDelay: 2, alignment: 0, sync: 1, async: 8, endToEnd: 11 }, { startDelay: 3, alignment: 0, sync: 1, async: 8, endToEnd: 12 }],
      [FLINK_WINDOW_ID]: [{ startDelay: 19, alignment: 33, sync: 4, async: 51, endToEnd: 107 }, null, null, null],
    },
  },
];

function taskStatistics(spec: CheckpointSpec, subtasks: readonly SubtaskCheckpointStatistics[]): TaskCheckpointStatistics {
  const acked = subtasks.filter((s) => s.status === 'completed');
  const sum = (pick: (s: SubtaskCheckpointStatistics) => number | undefined) => acked.reduce((total, s) => total + (pick(s) ?? 0), 0);
  const trigger = FLINK_TRIGGER_MS + spec.triggerOffsetMs;
  const latestAck = acked.length > 0 ? Math.max(...acked.map((s) => s.ack_timestamp!)) : -1;
  return {
    id: spec.id,
    status: spec.status,
    latest_ack_timestamp: latestAck,
    checkpointed_size: sum((s) => s.checkpointed_size),
    state_size: sum((s) => s.state_size),
    end_to_end_duration: latestAck < 0 ? -1 : latestAck - trigger,
    alignment_buffered: 0,
    processed_data: sum((s) => s.alignment?.processed),
    persisted_data: sum((s) => s.alignment?.persisted),
    num_subtasks: subtasks.length,
    num_acknowledged_subtasks: acked.length,
  };
}

function subtaskSummary(subtasks: readonly SubtaskCheckpointStatistics[]): SubtaskDetailsSummary {
  const acked = subtasks.filter((s) => s.status === 'completed');
  const of = (pick: (s: SubtaskCheckpointStatistics) => number | undefined) => stat(acked.map((s) => pick(s) ?? 0));
  return {
    checkpointed_size: of((s) => s.checkpointed_size),
    state_size: of((s) => s.state_size),
    end_to_end_duration: of((s) => s.end_to_end_duration),
    checkpoint_duration: { sync: of((s) => s.checkpoint?.sync), async: of((s) => s.checkpoint?.async) },
    alignment: { buffered: of((s) => s.alignment?.buffered), processed: of((s) => s.alignment?.processed), persisted: of((s) => s.alignment?.persisted), duration: of((s) => s.alignment?.duration) },
    start_delay: of((s) => s.start_delay),
  };
}

/** A hand-written source shaped as Flink's REST responses (what the real-job adapter hands the tab). */
export function flinkShapedSource(): CheckpointsSource {
  const subtasksOf = (spec: CheckpointSpec, vertexId: string) => (spec.vertices[vertexId] ?? []).map((s, index) => subtask(index, FLINK_TRIGGER_MS + spec.triggerOffsetMs, s));
  const details = (spec: CheckpointSpec): CheckpointStatistics => {
    const tasks = Object.fromEntries(Object.keys(spec.vertices).map((vertexId) => [vertexId, taskStatistics(spec, subtasksOf(spec, vertexId))]));
    const all = Object.keys(spec.vertices).flatMap((vertexId) => subtasksOf(spec, vertexId));
    const whole = taskStatistics(spec, all);
    return {
      ...whole,
      '@class': spec.status === 'COMPLETED' ? 'completed' : spec.status === 'FAILED' ? 'failed' : 'in_progress',
      is_savepoint: false,
      checkpoint_type: (spec.type ?? 'CHECKPOINT') as CheckpointStatistics['checkpoint_type'],
      trigger_timestamp: FLINK_TRIGGER_MS + spec.triggerOffsetMs,
      tasks,
      ...(spec.status === 'COMPLETED' ? { external_path: `s3://bucket/checkpoints/5e2a/chk-${spec.id}`, discarded: false } : {}),
      ...(spec.status === 'FAILED' ? { failure_timestamp: FLINK_TRIGGER_MS + spec.triggerOffsetMs + spec.failureOffsetMs!, failure_message: spec.failureMessage! } : {}),
    };
  };
  const history = [...FLINK_CHECKPOINTS].reverse().map(details);
  const completed = history.filter((c) => c.status === 'COMPLETED');
  const overview: CheckpointingStatistics = {
    counts: { restored: 1, total: 14, in_progress: 1, completed: 12, failed: 1 },
    summary: {
      checkpointed_size: stat(completed.map((c) => c.checkpointed_size)),
      state_size: stat(completed.map((c) => c.state_size)),
      end_to_end_duration: stat(completed.map((c) => c.end_to_end_duration)),
      alignment_buffered: ZERO,
      processed_data: stat(completed.map((c) => c.processed_data)),
      persisted_data: stat(completed.map((c) => c.persisted_data)),
    },
    latest: {
      completed: completed[0] ?? null,
      savepoint: null,
      failed: history.find((c) => c.status === 'FAILED') ?? null,
      restored: { id: 9, restore_timestamp: FLINK_TRIGGER_MS - 120_000, is_savepoint: false, external_path: 's3://bucket/checkpoints/5e2a/chk-9' },
    },
    history,
  };
  const find = (id: number) => FLINK_CHECKPOINTS.find((spec) => spec.id === id);
  return {
    label: 'Flink job 5e2a… (files)',
    overview: () => overview,
    config: () => ({ ...CONFIG, interval: 60_000, unaligned_checkpoints: true, aligned_checkpoint_timeout: 0, state_backend: 'EmbeddedRocksDBStateBackend', checkpoint_storage: 'FileSystemCheckpointStorage' }),
    details: (id) => {
      const spec = find(id);
      return spec ? details(spec) : null;
    },
    subtaskDetails: (id, vertexId) => {
      const spec = find(id);
      if (!spec || !(vertexId in spec.vertices)) return null;
      const subtasks = subtasksOf(spec, vertexId);
      return { ...taskStatistics(spec, subtasks), summary: subtaskSummary(subtasks), subtasks };
    },
    vertices: () => [
      { id: FLINK_SOURCE_ID, name: 'Source: Kafka', parallelism: 2 },
      { id: FLINK_WINDOW_ID, name: 'Window(TumblingEventTimeWindows) -> Sink', parallelism: 4 },
    ],
  };
}
