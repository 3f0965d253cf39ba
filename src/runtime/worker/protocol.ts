// The typed, versioned messages between the main thread (job master, cluster) and a task's Worker.
// Data between tasks never passes through here: it flows over MessagePorts wired worker to worker.
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import type { JobMasterMessage, TaskMessage } from '../../engine/task/messages';
import { MESSAGE_VERSION } from '../../engine/task/messages';
import type { TaskDeploymentDescriptor } from '../../engine/task/task-deployment';
import type { TaskId } from '../../engine/ids';
import type { ScenarioJobOptions } from '../sim/scenario-job';

export { MESSAGE_VERSION };

/** How a Worker rebuilds the job graph: functions cannot be posted, so the scenario is named. */
export interface JobSpec {
  readonly scenario: ScenarioJobOptions;
}

/** Which port leads to which peer task; one MessagePort per pair of connected tasks. */
export interface PeerPorts {
  readonly peers: readonly TaskId[];
}

/** 'indexeddb': open the database named; 'proxy': storage calls go through the main thread. */
export type StorageSpec = { readonly kind: 'indexeddb'; readonly databaseName: string } | { readonly kind: 'proxy' };

export type ToWorker =
  | {
      readonly version: typeof MESSAGE_VERSION;
      readonly type: 'deploy';
      readonly descriptor: TaskDeploymentDescriptor;
      readonly job: JobSpec;
      readonly peers: readonly TaskId[];
      readonly storage: StorageSpec;
      readonly eventFlushIntervalMs: number;
      /** heartbeat.interval: how often the Worker reports it is alive, from its 'deployed' message on. */
      readonly heartbeatIntervalMs: number;
      /** A slowdown set on this subtask before (it outlives restarts, as a slow machine would); 1 = normal. */
      readonly slowdownFactor: number;
      /** Latency added to this subtask's output channels before (they outlive restarts), by receiver; absent: none. */
      readonly channelDelays?: ReadonlyArray<readonly [TaskId, number]>;
    }
  /**
   * To a standby Worker, before it has a task: rebuild the job graph and open checkpoint storage now, so a
   * later 'deploy' of the same job and storage (the cluster sends both) finds them ready.
   */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'prepare'; readonly job: JobSpec; readonly storage: StorageSpec }
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'task-message'; readonly message: TaskMessage }
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'storage-result'; readonly requestId: number; readonly result: unknown }
  /** Fault injection: throw inside the operator chain on the next step (a crash in user code). */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'crash'; readonly message: string }
  /** Fault injection: the task's next snapshot upload fails (an async-phase failure). */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'fail-next-upload' }
  /** Fault injection: process `factor` times slower (1 = normal): backpressure on the channels into it. */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'slow'; readonly factor: number }
  /** Fault injection: what this task sends to `receiver` takes `latencyMs` longer from now on (0 = normal), in order. */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'delay-channel'; readonly receiver: TaskId; readonly latencyMs: number }
  /** Asks for the task's sample (docs/events.md, "Samples"): answered with a 'sample' message. */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'sample' };

export type FromWorker =
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'job-master'; readonly message: JobMasterMessage }
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'events'; readonly events: readonly EngineEvent[] }
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'sample'; readonly sample: TaskSample }
  | {
      readonly version: typeof MESSAGE_VERSION;
      readonly type: 'external';
      readonly output: string;
      readonly operation: 'commit' | 'append';
      readonly transactionId: string | null;
      readonly records: readonly unknown[];
    }
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'storage-call'; readonly requestId: number; readonly method: string; readonly args: readonly unknown[] }
  /** The Worker holds its task (storage open, TaskHost started): from now on its heartbeats are checked. */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'deployed'; readonly taskId: TaskId }
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'heartbeat'; readonly taskId: TaskId }
  /** A standby Worker's answer to 'prepare': job graph built, storage open (or failed to open: the deploy reports it). */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'prepared' }
  /** Where the deployment's time went in the Worker (real clock), sent once its task restored or runs. */
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'timings'; readonly taskId: TaskId; readonly timings: WorkerDeployTimings }
  | { readonly version: typeof MESSAGE_VERSION; readonly type: 'fatal'; readonly taskId: TaskId; readonly error: string };

/**
 * Epoch milliseconds (performance.timeOrigin + now(), comparable across the page and its Workers) of one
 * deployment's steps in its Worker: for the benchmark's recovery breakdown, never for the engine.
 */
export interface WorkerDeployTimings {
  readonly attempt: number;
  /** The Worker's time origin: when the browser created its global scope. */
  readonly workerCreatedAt: number;
  /** Its module (the engine and storage code) evaluated. */
  readonly moduleLoadedAt: number;
  /** The 'deploy' message arrived. */
  readonly deployReceivedAt: number;
  /** The job graph rebuilt from the scenario (or, in a standby Worker, taken as rebuilt before). */
  readonly jobGraphBuiltAt: number;
  /** Checkpoint storage (IndexedDB, or the proxy) open. */
  readonly storageOpenedAt: number;
  /** The TaskHost built: Task.start() begins (restore). */
  readonly taskStartedAt: number;
  /** The first state blob read asked for, and the last one read (null when the task read none). */
  readonly firstReadAt: number | null;
  readonly lastReadAt: number | null;
  readonly reads: number;
}

/** Rejects a message of another schema version with a clear error instead of misreading it. */
export function checkVersion(message: { version?: unknown; type?: unknown }): void {
  if (message.version !== MESSAGE_VERSION) {
    throw new Error(`Message '${String(message.type)}' has schema version ${String(message.version)}; this build speaks ${MESSAGE_VERSION}`);
  }
}
