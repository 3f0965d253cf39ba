// Web Worker entry: one per parallel subtask. Receives its deployment (descriptor, job spec, ports to
// peer tasks), rebuilds the job graph from the scenario, opens storage, and hosts the Task. A standby
// Worker (WorkerClusterOptions.standbyWorkers) rebuilds the job graph and opens storage on 'prepare',
// before it is given a task.
import { IndexedDbCheckpointStorage } from '../../storage/indexeddb-checkpoint-storage';
import type { CheckpointStorage, StorageResult } from '../../engine/ports/checkpoint-storage';
import { prepareScenarioJob } from '../sim/scenario-job';
import { checkVersion, MESSAGE_VERSION, type FromWorker, type StorageSpec, type ToWorker, type WorkerDeployTimings } from './protocol';
import { ProxyCheckpointStorage } from './proxy-checkpoint-storage';
import { TaskHost } from './task-host';
import { IndexedDbKeyGroupStores, workingStateDatabaseName } from '../../storage/indexeddb-key-group-store';
import type { KeyGroupStores } from '../../engine/ports/key-group-store';
import type { EngineEvent } from '../../engine/events';
import type { JobGraph } from '../../engine/graph/job-graph';
import { realClock } from './real-clock';

/** When this Worker's module finished evaluating (its deployment timings, WorkerDeployTimings). */
const moduleLoadedAt = realClock.now();

/** The worker global, typed narrowly (the DOM and webworker libs conflict; TOOLCHAIN.md). */
const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

let host: TaskHost | null = null;
let proxyStorage: ProxyCheckpointStorage | null = null;
/** A standby Worker's job graph and storage, made ready on 'prepare' before it got its task. */
let prepared: { readonly job: string; readonly jobGraph: JobGraph; readonly storage: string; readonly opened: Promise<CheckpointStorage> } | null = null;
const post = (message: FromWorker) => scope.postMessage(message);

scope.onmessage = (event) => {
  const message = event.data;
  try {
    checkVersion(message);
    switch (message.type) {
      case 'prepare': {
        const opened = openStorage(message.storage);
        prepared = { job: JSON.stringify(message.job), jobGraph: prepareScenarioJob(message.job.scenario).jobGraph, storage: JSON.stringify(message.storage), opened };
        // A failure is the deploy's to report, as if it had opened storage itself.
        void opened.then(
          () => post({ version: MESSAGE_VERSION, type: 'prepared' }),
          () => post({ version: MESSAGE_VERSION, type: 'prepared' }),
        );
        return;
      }
      case 'deploy':
        void deploy(message, event.ports);
        return;
      case 'task-message':
        host?.receive(message.message);
        return;
      case 'storage-result':
        proxyStorage?.resolve(message.requestId, message.result as StorageResult<unknown>);
        return;
      case 'fail-next-upload':
        host?.task.failNextSnapshotUpload();
        return;
      case 'slow':
        if (host) host.slowdownFactor = message.factor;
        return;
      case 'delay-channel':
        host?.delayChannel(message.receiver, message.latencyMs);
        return;
      case 'sample':
        if (host) post({ version: MESSAGE_VERSION, type: 'sample', sample: host.sample() });
        return;
      case 'crash':
        host?.task.fail(`Injected crash in user code: ${message.message}`);
        host?.flushEvents();
        return;
    }
  } catch (error) {
    post({ version: MESSAGE_VERSION, type: 'fatal', taskId: host?.task.taskId ?? '?', error: error instanceof Error ? error.message : String(error) });
  }
};

async function deploy(message: Extract<ToWorker, { type: 'deploy' }>, ports: readonly MessagePort[]): Promise<void> {
  const { descriptor } = message;
  const deployReceivedAt = realClock.now();
  try {
    // What a standby Worker prepared is used only for the job and storage it was prepared for.
    const ready = prepared;
    prepared = null;
    const jobGraph = ready?.job === JSON.stringify(message.job) ? ready.jobGraph : prepareScenarioJob(message.job.scenario).jobGraph;
    const jobGraphBuiltAt = realClock.now();
    const reads = { first: null as number | null, last: null as number | null, count: 0 };
    let timings: Omit<WorkerDeployTimings, 'firstReadAt' | 'lastReadAt' | 'reads'> | null = null;
    const storage = timedReads(await (ready?.storage === JSON.stringify(message.storage) ? ready.opened : openStorage(message.storage)), reads);
    const storageOpenedAt = realClock.now();
    const peers = new Map(message.peers.map((peer, i) => [peer, ports[i]!]));
    const keyGroupStores = descriptor.stateBackend === 'indexeddb' ? await openKeyGroupStores(message.storage) : null;
    host = new TaskHost({
      descriptor,
      jobGraph,
      peers,
      storage,
      ...(keyGroupStores ? { keyGroupStores } : {}),
      eventFlushIntervalMs: message.eventFlushIntervalMs,
      postEvents: (events) => {
        post({ version: MESSAGE_VERSION, type: 'events', events });
        if (timings === null || !events.some(restoredOrRunning)) return;
        post({ version: MESSAGE_VERSION, type: 'timings', taskId: descriptor.taskId, timings: { ...timings, firstReadAt: reads.first, lastReadAt: reads.last, reads: reads.count } });
        timings = null;
      },
      postToJobMaster: (jobMasterMessage) => post({ version: MESSAGE_VERSION, type: 'job-master', message: jobMasterMessage }),
      writeExternal: (output, operation, transactionId, records) =>
        post({ version: MESSAGE_VERSION, type: 'external', output, operation, transactionId, records }),
    });
    for (const [receiver, latencyMs] of message.channelDelays ?? []) host.delayChannel(receiver, latencyMs);
    timings = {
      attempt: descriptor.attempt,
      workerCreatedAt: performance.timeOrigin,
      moduleLoadedAt,
      deployReceivedAt,
      jobGraphBuiltAt,
      storageOpenedAt,
      taskStartedAt: realClock.now(),
    };
    host.start();
    if (message.slowdownFactor > 1) host.slowdownFactor = message.slowdownFactor;
    // From here on the main thread checks heartbeats (heartbeat.timeout): a slow start is never taken for a loss.
    const taskId = descriptor.taskId;
    post({ version: MESSAGE_VERSION, type: 'deployed', taskId });
    setInterval(() => post({ version: MESSAGE_VERSION, type: 'heartbeat', taskId }), message.heartbeatIntervalMs);
  } catch (error) {
    post({ version: MESSAGE_VERSION, type: 'fatal', taskId: descriptor.taskId, error: error instanceof Error ? error.message : String(error) });
  }
}

function restoredOrRunning(event: EngineEvent): boolean {
  return event.type === 'task-restored' || (event.type === 'task-state-changed' && event.state === 'RUNNING');
}

/** The storage, with the times of its state reads noted (the first asked for, the last answered). */
function timedReads(storage: CheckpointStorage, reads: { first: number | null; last: number | null; count: number }): CheckpointStorage {
  const readState: CheckpointStorage['readState'] = (storageKey, done) => {
    reads.first ??= realClock.now();
    storage.readState(storageKey, (result) => {
      reads.last = realClock.now();
      reads.count += 1;
      done(result);
    });
  };
  return {
    writeState: (request, done) => storage.writeState(request, done),
    readState,
    writeMetadata: (metadata, done) => storage.writeMetadata(metadata, done),
    listCompleted: (jobId, done) => storage.listCompleted(jobId, done),
    discard: (jobId, checkpointId, keep, done) => storage.discard(jobId, checkpointId, keep, done),
  };
}

async function openStorage(spec: StorageSpec): Promise<CheckpointStorage> {
  if (spec.kind === 'indexeddb') return IndexedDbCheckpointStorage.open(spec.databaseName);
  proxyStorage = new ProxyCheckpointStorage((requestId, method, args) =>
    post({ version: MESSAGE_VERSION, type: 'storage-call', requestId, method, args }),
  );
  return proxyStorage;
}

/**
 * The indexeddb backend's working state is local to the Worker, as RocksDB's is to the TaskManager, so it
 * is opened here even when checkpoint storage is proxied; without IndexedDB the deployment fails clearly.
 */
async function openKeyGroupStores(spec: StorageSpec): Promise<KeyGroupStores> {
  const name = workingStateDatabaseName(spec.kind === 'indexeddb' ? spec.databaseName : null);
  try {
    return await IndexedDbKeyGroupStores.open(name);
  } catch (error) {
    throw new Error(`state.backend.type 'indexeddb' needs IndexedDB in the Worker for its working state ('${name}'): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
