// An XState machine's definition as plain data for drawing: its state nodes (nested, parallel, final)
// and the transitions that change state, labelled with their event types (delays, eventless and done
// transitions named as people read them). Transitions that only run actions are left out.
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface ChartState {
  /** The XState state node id, e.g. `jobLifecycle.RESTARTING.backoff.waiting`. */
  readonly id: string;
  readonly key: string;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly parentId: string | null;
  readonly children: readonly ChartState[];
  /** The initial child of a compound state. */
  readonly initialId: string | null;
  readonly description: string | null;
}

export interface ChartTransition {
  readonly sourceId: string;
  readonly targetId: string;
  /** What people read on the arrow: the event type, `after <delay>`, `always [guard]` or `done`. */
  readonly label: string;
  readonly eventType: string;
  readonly guard: string | null;
}

export interface ChartDefinition {
  readonly machineId: string;
  readonly root: ChartState;
  readonly transitions: readonly ChartTransition[];
}

export function chartOf(machine: AnyStateMachine): ChartDefinition {
  const transitions: ChartTransition[] = [];
  const root = stateOf(machine.root, null, transitions);
  return { machineId: machine.id, root, transitions: mergeParallel(transitions) };
}

function stateOf(node: AnyStateNode, parentId: string | null, transitions: ChartTransition[]): ChartState {
  for (const [eventType, list] of node.transitions) {
    for (const transition of list) addTransitions(transitions, node.id, eventType, transition.target, guardName(transition.guard));
  }
  for (const transition of node.always ?? []) addTransitions(transitions, node.id, '', transition.target, guardName(transition.guard));
  const children = Object.values(node.states).map((child) => stateOf(child, node.id, transitions));
  const initial = node.type === 'compound' ? (node.initial?.target?.[0]?.id ?? null) : null;
  return { id: node.id, key: node.key, type: node.type, parentId, children, initialId: initial, description: node.description ?? null };
}

function addTransitions(into: ChartTransition[], sourceId: string, eventType: string, targets: readonly AnyStateNode[] | undefined, guard: string | null): void {
  for (const target of targets ?? []) into.push({ sourceId, targetId: target.id, eventType, label: labelOf(eventType, guard), guard });
}

function guardName(guard: unknown): string | null {
  if (typeof guard === 'string') return guard;
  if (guard && typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return null;
}

/** `xstate.after.restartBackoff.…` → `after restartBackoff`; `xstate.done.state.…` → `done`; eventless → `always`. */
export function labelOf(eventType: string, guard: string | null): string {
  const guardText = guard && !guard.startsWith('xstate.') ? ` [${guard}]` : '';
  // An eventless transition reads as its guard, the condition it waits for.
  if (eventType === '') return guardText ? guardText.trim() : 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}${guardText}`;
  if (eventType.startsWith('xstate.done.state.')) return `done${guardText}`;
  return `${eventType}${guardText}`;
}

/** Transitions with the same source and target read as one arrow, its labels joined (STOP, SHUTDOWN). */
function mergeParallel(transitions: ChartTransition[]): ChartTransition[] {
  const seen = new Map<string, ChartTransition>();
  for (const transition of transitions) {
    const key = `${transition.sourceId}→${transition.targetId}`;
    const earlier = seen.get(key);
    if (!earlier) seen.set(key, transition);
    else if (!earlier.label.split(', ').includes(transition.label)) seen.set(key, { ...earlier, label: `${earlier.label}, ${transition.label}` });
  }
  return [...seen.values()];
}

/** Every state node id, depth first. */
export function allStates(state: ChartState): ChartState[] {
  return [state, ...state.children.flatMap(allStates)];
}
