// Web Worker entry: one per parallel subtask. Receives its deployment (descriptor, job spec, ports to
// peer tasks), rebuilds the job graph from the scenario, opens storage, and hosts the Task.
import { IndexedDbCheckpointStorage } from '../../storage/indexeddb-checkpoint-storage';
import type { CheckpointStorage, StorageResult } from '../../engine/ports/checkpoint-storage';
import { prepareScenarioJob } from '../sim/scenario-job';
import { checkVersion, MESSAGE_VERSION, type FromWorker, type ToWorker } from './protocol';
import { ProxyCheckpointStorage } from './proxy-checkpoint-storage';
import { TaskHost } from './task-host';

/** The worker global, typed narrowly (the DOM and webworker libs conflict; TOOLCHAIN.md). */
const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const HEARTBEAT_INTERVAL_MS = 100;

let host: TaskHost | null = null;
// Heartbeats start with the module, so a slow deployment (opening storage, restoring) is not taken for a lost task.
setInterval(() => post({ version: MESSAGE_VERSION, type: 'heartbeat', taskId: host?.task.taskId ?? '?' }), HEARTBEAT_INTERVAL_MS);
let proxyStorage: ProxyCheckpointStorage | null = null;
const post = (message: FromWorker) => scope.postMessage(message);

scope.onmessage = (event) => {
  const message = event.data;
  try {
    checkVersion(message);
    switch (message.type) {
      case 'deploy':
        void deploy(message, event.ports);
        return;
      case 'task-message':
        host?.receive(message.message);
        return;
      case 'storage-result':
        proxyStorage?.resolve(message.requestId, message.result as StorageResult<unknown>);
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
  try {
    const { jobGraph } = prepareScenarioJob(message.job.scenario);
    const storage = await openStorage(message.storage);
    const peers = new Map(message.peers.map((peer, i) => [peer, ports[i]!]));
    host = new TaskHost({
      descriptor,
      jobGraph,
      peers,
      storage,
      eventFlushIntervalMs: message.eventFlushIntervalMs,
      postEvents: (events) => post({ version: MESSAGE_VERSION, type: 'events', events }),
      postToJobMaster: (jobMasterMessage) => post({ version: MESSAGE_VERSION, type: 'job-master', message: jobMasterMessage }),
      writeExternal: (output, operation, transactionId, records) =>
        post({ version: MESSAGE_VERSION, type: 'external', output, operation, transactionId, records }),
    });
    host.start();
  } catch (error) {
    post({ version: MESSAGE_VERSION, type: 'fatal', taskId: descriptor.taskId, error: error instanceof Error ? error.message : String(error) });
  }
}

async function openStorage(spec: Extract<ToWorker, { type: 'deploy' }>['storage']): Promise<CheckpointStorage> {
  if (spec.kind === 'indexeddb') return IndexedDbCheckpointStorage.open(spec.databaseName);
  proxyStorage = new ProxyCheckpointStorage((requestId, method, args) =>
    post({ version: MESSAGE_VERSION, type: 'storage-call', requestId, method, args }),
  );
  return proxyStorage;
}
