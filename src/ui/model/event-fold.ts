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
