// The main thread's side of the Worker runtime (the "TaskManagers"): one Web Worker per subtask, wired
// with one MessageChannel per pair of connected tasks so records flow worker to worker. Deploys, cancels
// (terminate), injects faults, and detects lost tasks — at once when it terminated the worker itself (a
// dropped connection), by missed heartbeats otherwise.
import type { CheckpointStorage } from '../../engine/ports/checkpoint-storage';
import type { EngineEvent } from '../../engine/events';
import type { TaskId } from '../../engine/ids';
import type { JobMasterMessage, TaskMessage } from '../../engine/task/messages';
import type { TaskDeploymentDescriptor } from '../../engine/task/task-deployment';
import type { TaskDeployer } from '../job-master/task-deployer';
import { checkVersion, MESSAGE_VERSION, type FromWorker, type JobSpec, type ToWorker } from './protocol';
import { serveStorageCall } from './proxy-checkpoint-storage';

/** Flink's heartbeat.timeout is 50 s; a Worker that misses 30 beats of 100 ms is taken as hung. */
export const HEARTBEAT_TIMEOUT_MS = 3000;
const HEARTBEAT_CHECK_MS = 200;

export interface WorkerClusterOptions {
  readonly job: JobSpec;
  /** IndexedDB database the workers open, or null to proxy storage calls to `storage` on this thread. */
  readonly databaseName: string | null;
  readonly storage: CheckpointStorage;
  readonly eventFlushIntervalMs?: number;
  onJobMasterMessage(message: JobMasterMessage): void;
  onEvents(events: readonly EngineEvent[]): void;
  onExternalWrite(output: string, operation: 'commit' | 'append', transactionId: string | null, records: readonly unknown[]): void;
  onTaskLost(taskId: TaskId, cause: string): void;
  createWorker?: () => Worker;
}

interface DeployedWorker {
  readonly worker: Worker;
  lastHeartbeat: number;
}

export class WorkerCluster implements TaskDeployer {
  readonly #workers = new Map<TaskId, DeployedWorker>();
  readonly #monitor: ReturnType<typeof setInterval>;

  constructor(private readonly options: WorkerClusterOptions) {
    this.#monitor = setInterval(() => this.checkHeartbeats(), HEARTBEAT_CHECK_MS);
  }

  taskIds(): TaskId[] {
    return [...this.#workers.keys()];
  }

  deploy(descriptors: readonly TaskDeploymentDescriptor[]): void {
    const ports = new Map<TaskId, Map<TaskId, MessagePort>>(descriptors.map((d) => [d.taskId, new Map()]));
    for (const consumer of descriptors) {
      for (const channel of consumer.inputChannels) {
        const producerPorts = ports.get(channel.producerTaskId)!;
        if (producerPorts.has(consumer.taskId)) continue;
        const pair = new MessageChannel();
        producerPorts.set(consumer.taskId, pair.port1);
        ports.get(consumer.taskId)!.set(channel.producerTaskId, pair.port2);
      }
    }
    for (const descriptor of descriptors) {
      const worker = this.options.createWorker?.() ?? new Worker(new URL('./task.worker.ts', import.meta.url), { type: 'module', name: descriptor.taskId });
      const deployed: DeployedWorker = { worker, lastHeartbeat: performance.now() };
      this.#workers.set(descriptor.taskId, deployed);
      worker.onmessage = (event: MessageEvent<FromWorker>) => this.onWorkerMessage(descriptor.taskId, deployed, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        // A late error of a Worker already replaced by a newer attempt must not take the new one down.
        if (this.#workers.get(descriptor.taskId) === deployed) this.lose(descriptor.taskId, `Worker error: ${event.message}`);
      };
      const peers = ports.get(descriptor.taskId)!;
      const message: ToWorker = {
        version: MESSAGE_VERSION,
        type: 'deploy',
        descriptor,
        job: this.options.job,
        peers: [...peers.keys()],
        storage: this.options.databaseName ? { kind: 'indexeddb', databaseName: this.options.databaseName } : { kind: 'proxy' },
        eventFlushIntervalMs: this.options.eventFlushIntervalMs ?? 50,
      };
      worker.postMessage(message, [...peers.values()]);
    }
  }

  cancelAll(done: () => void): void {
    for (const { worker } of this.#workers.values()) worker.terminate();
    this.#workers.clear();
    setTimeout(done, 0);
  }

  sendToTask(taskId: TaskId, message: TaskMessage): void {
    this.#workers.get(taskId)?.worker.postMessage({ version: MESSAGE_VERSION, type: 'task-message', message } satisfies ToWorker);
  }

  /** Fault injection: worker.terminate(); the loss is noticed at once, like a dropped TaskManager connection. */
  kill(taskId: TaskId): boolean {
    const deployed = this.#workers.get(taskId);
    if (!deployed) return false;
    deployed.worker.terminate();
    this.lose(taskId, 'Worker terminated (killed)');
    return true;
  }

  /** Fault injection: an exception inside the task's operator code. */
  crash(taskId: TaskId, message: string): void {
    this.#workers.get(taskId)?.worker.postMessage({ version: MESSAGE_VERSION, type: 'crash', message } satisfies ToWorker);
  }

  /** Fault injection: the task's next snapshot upload fails. */
  failNextUpload(taskId: TaskId): boolean {
    return this.post(taskId, { version: MESSAGE_VERSION, type: 'fail-next-upload' });
  }

  /** Fault injection: the task processes `factor` times slower (1 = back to normal). */
  slow(taskId: TaskId, factor: number): boolean {
    if (!(factor >= 1)) throw new RangeError(`A slowdown factor must be at least 1, got ${factor}`);
    return this.post(taskId, { version: MESSAGE_VERSION, type: 'slow', factor });
  }

  private post(taskId: TaskId, message: ToWorker): boolean {
    const deployed = this.#workers.get(taskId);
    deployed?.worker.postMessage(message);
    return deployed !== undefined;
  }

  shutdown(): void {
    clearInterval(this.#monitor);
    for (const { worker } of this.#workers.values()) worker.terminate();
    this.#workers.clear();
  }

  private lose(taskId: TaskId, cause: string): void {
    const deployed = this.#workers.get(taskId);
    if (!deployed) return;
    deployed.worker.terminate();
    this.#workers.delete(taskId);
    this.options.onTaskLost(taskId, cause);
  }

  private checkHeartbeats(): void {
    const now = performance.now();
    for (const [taskId, deployed] of this.#workers) {
      if (now - deployed.lastHeartbeat > HEARTBEAT_TIMEOUT_MS) this.lose(taskId, `No heartbeat for ${HEARTBEAT_TIMEOUT_MS} ms`);
    }
  }

  private onWorkerMessage(taskId: TaskId, deployed: DeployedWorker, message: FromWorker): void {
    if (this.#workers.get(taskId) !== deployed) return;
    checkVersion(message);
    deployed.lastHeartbeat = performance.now();
    switch (message.type) {
      case 'job-master':
        this.options.onJobMasterMessage(message.message);
        return;
      case 'events':
        this.options.onEvents(message.events);
        return;
      case 'external':
        this.options.onExternalWrite(message.output, message.operation, message.transactionId, message.records);
        return;
      case 'storage-call':
        serveStorageCall(this.options.storage, message.method, message.args, (result) =>
          deployed.worker.postMessage({ version: MESSAGE_VERSION, type: 'storage-result', requestId: message.requestId, result } satisfies ToWorker),
        );
        return;
      case 'heartbeat':
        return;
      case 'fatal':
        this.lose(taskId, message.error);
    }
  }
}
