// Everything a Task gets from outside (DESIGN: Transport, Clock, Storage injected), plus the
// runtime's scheduling hook: message handlers only enqueue and ask for a step.
import type { Clock } from '../ports/clock';
import type { CheckpointStorage } from '../ports/checkpoint-storage';
import type { KeyGroupStores } from '../ports/key-group-store';
import type { ExternalSystems } from '../ports/external-systems';
import type { EventSink } from '../events';
import type { TaskTransport } from './messages';

export interface TaskEnvironment {
  readonly clock: Clock;
  readonly transport: TaskTransport;
  readonly storage: CheckpointStorage;
  readonly external: ExternalSystems;
  readonly emit: EventSink;
  /** Working stores for the indexeddb keyed backend; a runtime without them runs only the hashmap backend. */
  readonly keyGroupStores?: KeyGroupStores;
  /** Ask the runtime to call `task.step()` soon; idempotent until the step runs. */
  requestStep(): void;
}
