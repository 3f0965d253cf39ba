// The shapes of Flink's checkpoint REST responses, in valibot, as loose as Flink's versions are apart.
// Followed: flink-runtime rest/messages/checkpoints/{CheckpointingStatistics, CheckpointStatistics,
// TaskCheckpointStatistics, TaskCheckpointStatisticsWithSubtaskDetails, SubtaskCheckpointStatistics,
// StatsSummaryDto, CheckpointConfigInfo}.java, rest/messages/job/JobDetailsInfo.java, the generated
// docs/static/generated/rest_v1_dispatcher.yml and flink-runtime-web's interfaces/job-checkpoint.ts.
// Unknown keys are dropped (v.object builds fresh objects), so newer fields never break a load.
import * as v from 'valibot';

const MAX_TEXT = 64 * 1024;
const MAX_NAME = 4 * 1024;
/** Flink's `web.checkpoints.history` is 10 by default; nobody keeps more than this. */
export const MAX_HISTORY = 10_000;
/** Flink's upper bound on parallelism (Transformation.UPPER_BOUND_MAX_PARALLELISM). */
export const MAX_SUBTASKS = 32_768;
export const MAX_VERTICES = 10_000;

/** A Java long or int as JSON.parse reads it (Long.MAX_VALUE arrives as 2^63, still an integer). */
const long = v.pipe(v.number(), v.integer());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Sizes and durations: any finite number (the parser already refused ±Infinity). */
const amount = v.number();
/** A field this Flink version may not send; null is how a Barrierscope bundle writes "not reported" (NaN). */
const reported = v.optional(v.nullable(amount));
/** StatsSummaryDto's percentiles are Java doubles: Jackson writes NaN (no samples yet) as the string "NaN". */
const percentile = v.optional(v.nullable(v.union([amount, v.picklist(['NaN', 'Infinity', '-Infinity'])])));
const text = v.pipe(v.string(), v.maxLength(MAX_TEXT));
const name = v.pipe(v.string(), v.maxLength(MAX_NAME));
/** JobVertexID is 32 hex digits; this simulator names vertices by uid. Either way a short plain string. */
export const vertexIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.regex(/^[\w.:-]+$/, 'Invalid vertex id: Expected letters, digits, _ . : or -'));
/** The type discriminator: `@class` (to 1.14), `clazz`, then `className`; read but not trusted (status is). */
const discriminators = { '@class': v.optional(v.string()), className: v.optional(v.string()), clazz: v.optional(v.string()) };

export const statusSchema = v.picklist(['IN_PROGRESS', 'COMPLETED', 'FAILED']);

/** MinMaxAvgStatistics (min/max/avg) or, since 1.12's StatsSummaryDto, with p50 … p999. */
export const statsSummarySchema = v.object({
  min: reported,
  max: reported,
  avg: reported,
  p50: percentile,
  p90: percentile,
  p95: percentile,
  p99: percentile,
  p999: percentile,
});
export type RawStatsSummary = v.InferOutput<typeof statsSummarySchema>;
const summaryField = v.optional(v.nullable(statsSummarySchema));

const taskEntries = {
  id: count,
  status: statusSchema,
  latest_ack_timestamp: long,
  /** Since 1.15 (FLINK-25557); before, `state_size` was the checkpointed size (FLINK-13390). */
  checkpointed_size: reported,
  state_size: amount,
  end_to_end_duration: long,
  alignment_buffered: reported,
  /** Since 1.12 (FLIP-76's metrics). */
  processed_data: reported,
  persisted_data: reported,
  num_subtasks: count,
  num_acknowledged_subtasks: count,
};

export const taskStatisticsSchema = v.object(taskEntries);
export type RawTaskStatistics = v.InferOutput<typeof taskStatisticsSchema>;

export const checkpointStatisticsSchema = v.object({
  ...discriminators,
  ...taskEntries,
  is_savepoint: v.boolean(),
  /** CHECKPOINT | UNALIGNED_CHECKPOINT | SAVEPOINT | SYNC_SAVEPOINT (RestAPICheckpointType); absent in old versions. */
  checkpoint_type: v.optional(v.pipe(v.string(), v.maxLength(64))),
  trigger_timestamp: long,
  /** Empty in `history[]` entries (includeTaskCheckpointStatistics = false), filled in `details/:id`. */
  tasks: v.optional(v.pipe(v.record(vertexIdSchema, taskStatisticsSchema), v.check((tasks) => Object.keys(tasks).length <= MAX_VERTICES, 'Too many vertices'))),
  external_path: v.optional(v.nullable(text)),
  discarded: v.optional(v.boolean()),
  failure_timestamp: v.optional(long),
  failure_message: v.optional(v.nullable(text)),
});
export type RawCheckpointStatistics = v.InferOutput<typeof checkpointStatisticsSchema>;

const restoredSchema = v.object({
  id: count,
  restore_timestamp: long,
  is_savepoint: v.boolean(),
  external_path: v.optional(v.nullable(text)),
});

/** `GET /jobs/:jobid/checkpoints` */
export const checkpointingStatisticsSchema = v.object({
  counts: v.object({ restored: v.optional(count), total: count, in_progress: count, completed: count, failed: count }),
  summary: v.object({
    checkpointed_size: summaryField,
    state_size: summaryField,
    end_to_end_duration: summaryField,
    alignment_buffered: summaryField,
    processed_data: summaryField,
    persisted_data: summaryField,
  }),
  latest: v.object({
    completed: v.optional(v.nullable(checkpointStatisticsSchema)),
    savepoint: v.optional(v.nullable(checkpointStatisticsSchema)),
    failed: v.optional(v.nullable(checkpointStatisticsSchema)),
    restored: v.optional(v.nullable(restoredSchema)),
  }),
  history: v.pipe(v.array(checkpointStatisticsSchema), v.maxLength(MAX_HISTORY)),
});
export type RawCheckpointingStatistics = v.InferOutput<typeof checkpointingStatisticsSchema>;

/** `GET /jobs/:jobid/checkpoints/config`; every field after `state_backend` arrived in a later version. */
export const checkpointConfigSchema = v.object({
  mode: v.pipe(v.string(), v.toLowerCase(), v.picklist(['exactly_once', 'at_least_once'])),
  interval: long,
  timeout: long,
  min_pause: long,
  max_concurrent: long,
  externalization: v.object({ enabled: v.boolean(), delete_on_cancellation: v.boolean() }),
  state_backend: name,
  checkpoint_storage: v.optional(name),
  unaligned_checkpoints: v.optional(v.boolean()),
  tolerable_failed_checkpoints: v.optional(long),
  /** 1.14+; 1.12–1.13 called it `alignment_timeout` (flink-runtime-web's CheckPointConfigInterface). */
  aligned_checkpoint_timeout: v.optional(long),
  alignment_timeout: v.optional(long),
  checkpoints_after_tasks_finish: v.optional(v.boolean()),
  state_changelog_enabled: v.optional(v.boolean()),
});
export type RawCheckpointConfig = v.InferOutput<typeof checkpointConfigSchema>;

const subtaskSchema = v.object({
  ...discriminators,
  index: count,
  status: v.picklist(['completed', 'pending_or_failed']),
  ack_timestamp: v.optional(long),
  end_to_end_duration: v.optional(long),
  checkpointed_size: reported,
  state_size: reported,
  checkpoint: v.optional(v.object({ sync: amount, async: amount })),
  alignment: v.optional(v.object({ buffered: reported, processed: reported, persisted: reported, duration: amount })),
  start_delay: v.optional(amount),
  unaligned_checkpoint: v.optional(v.boolean()),
  aborted: v.optional(v.boolean()),
});
export type RawSubtaskStatistics = v.InferOutput<typeof subtaskSchema>;

/** `GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid` (the task fields are optional: a bundle may omit them). */
export const subtaskDetailsSchema = v.object({
  id: v.optional(count),
  status: v.optional(statusSchema),
  latest_ack_timestamp: v.optional(long),
  checkpointed_size: reported,
  state_size: reported,
  end_to_end_duration: v.optional(long),
  alignment_buffered: reported,
  processed_data: reported,
  persisted_data: reported,
  num_subtasks: v.optional(count),
  num_acknowledged_subtasks: v.optional(count),
  summary: v.object({
    checkpointed_size: summaryField,
    state_size: summaryField,
    end_to_end_duration: summaryField,
    checkpoint_duration: v.optional(v.object({ sync: summaryField, async: summaryField })),
    alignment: v.optional(v.object({ buffered: summaryField, processed: summaryField, persisted: summaryField, duration: summaryField })),
    start_delay: summaryField,
  }),
  subtasks: v.pipe(v.array(subtaskSchema), v.maxLength(MAX_SUBTASKS)),
});
export type RawSubtaskDetails = v.InferOutput<typeof subtaskDetailsSchema>;

/** `GET /jobs/:jobid` (JobDetailsInfo): only what names the vertices; `vertices` is in topological order. */
export const jobDetailsSchema = v.object({
  jid: v.optional(v.pipe(v.string(), v.maxLength(128))),
  name: v.optional(name),
  vertices: v.pipe(
    v.array(v.object({ id: vertexIdSchema, name, parallelism: v.pipe(count, v.minValue(1), v.maxValue(MAX_SUBTASKS)) })),
    v.maxLength(MAX_VERTICES),
  ),
});
export type RawJobDetails = v.InferOutput<typeof jobDetailsSchema>;
