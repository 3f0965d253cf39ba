// Hosts one Task inside a Worker: wires its environment (real clock, MessagePorts to peer tasks,
// the main thread for the job master, events, external writes and storage) and runs its step loop —
// bounded slices of work, yielding between them so messages keep flowing.
import type { CheckpointStorage } from '../../engine/ports/checkpoint-storage';
import type { KeyGroupStores } from '../../engine/ports/key-group-store';
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import type { TaskId } from '../../engine/ids';
import { Task } from '../../engine/task/task';
import type { JobMasterMessage, TaskMessage } from '../../engine/task/messages';
import type { TaskDeploymentDescriptor } from '../../engine/task/task-deployment';
import type { JobGraph } from '../../engine/graph/job-graph';
import { realClock } from './real-clock';
import { EventBatcher } from './event-batcher';
import { ForwardingExternalSystems, type ExternalWrite } from './worker-external-systems';
import { ChannelDecoder, ChannelEncoder, type WireBatch } from './channel-codec';
import { DelayedLink } from './delayed-link';

/** Records per step; a slice runs steps for at most SLICE_MS before yielding to the message loop. */
export const STEP_BUDGET = 1024;
export const SLICE_MS = 8;

export interface TaskHostOptions {
  readonly descriptor: TaskDeploymentDescriptor;
  readonly jobGraph: JobGraph;
  readonly peers: ReadonlyMap<TaskId, MessagePort>;
  readonly storage: CheckpointStorage;
  /** Working stores for the indexeddb keyed backend, when the task runs it. */
  readonly keyGroupStores?: KeyGroupStores;
  readonly eventFlushIntervalMs: number;
  postEvents(events: readonly EngineEvent[]): void;
  postToJobMaster(message: JobMasterMessage): void;
  writeExternal: ExternalWrite;
}

export class TaskHost {
  readonly task: Task;
  readonly #batcher: EventBatcher;
  readonly #wake = new MessageChannel();
  /** What this task sends to each peer is batched per step, then goes through a link that can be slowed from outside. */
  readonly #outputs = new Map<TaskId, { readonly encoder: ChannelEncoder; readonly link: DelayedLink }>();
  #flushQueued = false;
  #scheduled = false;
  /** Fault injection: after a slice that took d ms, pause (factor − 1)·d ms before the next. */
  slowdownFactor = 1;

  constructor(private readonly options: TaskHostOptions) {
    this.#batcher = new EventBatcher(options.postEvents, options.eventFlushIntervalMs);
    this.#wake.port1.onmessage = () => this.runSlice();
    this.task = new Task(options.descriptor, options.jobGraph.vertex(options.descriptor.vertexId), {
      clock: realClock,
      storage: options.storage,
      ...(options.keyGroupStores ? { keyGroupStores: options.keyGroupStores } : {}),
      external: new ForwardingExternalSystems(options.writeExternal),
      // An injected fault goes out at once, so the main thread hears of it before the decline it causes.
      emit: (event) => {
        this.#batcher.add(event);
        if (event.type === 'fault-injected') this.#batcher.flush();
      },
      transport: {
        sendToTask: (target, message) => this.sendToPeer(target, message),
        // The task's events go first: the job master's reaction (an event of its own) then follows its cause.
        sendToJobMaster: (message) => {
          this.#batcher.flush();
          options.postToJobMaster(message);
        },
      },
      requestStep: () => this.requestStep(),
    });
    const deliver = (message: TaskMessage) => this.task.receive(message);
    for (const [peer, port] of options.peers) {
      const decoder = new ChannelDecoder();
      port.onmessage = (event: MessageEvent<WireBatch>) => decoder.decode(event.data, deliver);
      this.#outputs.set(peer, { encoder: new ChannelEncoder(), link: new DelayedLink(port, realClock) });
    }
  }

  start(): void {
    this.task.start();
  }

  receive(message: TaskMessage): void {
    this.task.receive(message);
  }

  /** The task's sample now, with the slowdown this host runs it at. */
  sample(): TaskSample {
    return this.task.sample({ slowdown: this.slowdownFactor });
  }

  flushEvents(): void {
    this.#batcher.flush();
  }

  /** Fault injection: what this task sends to `receiver` takes `latencyMs` longer (0 = normal), in order. */
  delayChannel(receiver: TaskId, latencyMs: number): void {
    this.output(receiver).link.delayMs = latencyMs;
  }

  private output(peer: TaskId): { readonly encoder: ChannelEncoder; readonly link: DelayedLink } {
    const output = this.#outputs.get(peer);
    if (!output) throw new Error(`${this.options.descriptor.taskId} has no channel to ${peer}`);
    return output;
  }

  /** Encoded now, posted with the rest of the step's messages to that peer (or, outside a step, after this task). */
  private sendToPeer(target: TaskId, message: TaskMessage): void {
    this.output(target).encoder.add(message);
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => this.flushOutputs());
  }

  /** One message per peer with everything queued for it, in order. */
  private flushOutputs(): void {
    this.#flushQueued = false;
    for (const { encoder, link } of this.#outputs.values()) {
      const taken = encoder.take();
      if (taken) link.send(taken.batch, taken.transfer);
    }
  }

  /** A macrotask through a MessageChannel: sooner than setTimeout(0), and lets port messages in between. */
  private requestStep(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#wake.port2.postMessage(null);
  }

  private runSlice(): void {
    this.#scheduled = false;
    const deadline = performance.now() + SLICE_MS;
    const started = performance.now();
    let result = this.task.step(STEP_BUDGET);
    this.flushOutputs();
    while (result.hasMoreWork && performance.now() < deadline) {
      result = this.task.step(STEP_BUDGET);
      this.flushOutputs();
    }
    if (!result.hasMoreWork) return;
    if (this.slowdownFactor > 1) {
      this.#scheduled = true;
      setTimeout(() => this.runSlice(), (performance.now() - started) * (this.slowdownFactor - 1));
    } else {
      this.requestStep();
    }
  }
}
