// How every view model is built (issue 7): a pure fold of the event stream and task samples — no
// Svelte, no DOM, no engine objects. Live, events are applied as they arrive; seeking back builds a new
// fold and applies the recorded events up to the cursor. `view(now)` is what a component draws at
// clock time `now` (movement between events is interpolated from event times, so simulation time and
// render time stay separate: pause, step and scrub need no special cases).
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';

export interface EventFold<View> {
  apply(event: EngineEvent): void;
  applySample?(sample: TaskSample): void;
  /**
   * True for a fold that reads every sample, not only each task's latest (the state inspector remembers the first
   * sample after each barrier): rebuilt or moved forward, it is given each task's kept samples up to the cursor, in
   * time order, and must ignore those it has seen.
   */
  readonly readsSampleHistory?: boolean;
  view(now: number): View;
}

export type FoldFactory<View> = () => EventFold<View>;

/** Folds `events` (in order) into a fresh fold; the helper tests and seeks use. */
export function foldAll<View>(factory: FoldFactory<View>, events: Iterable<EngineEvent>, samples: Iterable<TaskSample> = []): EventFold<View> {
  const fold = factory();
  for (const event of events) fold.apply(event);
  if (fold.applySample) for (const sample of samples) fold.applySample(sample);
  return fold;
}
