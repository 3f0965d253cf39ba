import { describe, expect, it } from 'vitest';
import { checkpointCoordinatorMachine } from '../../machines/checkpoint-coordinator.machine';
import { jobLifecycleMachine } from '../../machines/job-lifecycle.machine';
import { allStates, chartOf, labelOf } from './statechart-definition';
import { activeConfiguration, layoutChart } from './statechart-layout';

describe('a statechart drawn from an XState definition', () => {
  const chart = chartOf(jobLifecycleMachine);
  const layout = layoutChart(chart);
  const box = (id: string) => layout.boxes.find((b) => b.id === id)!;

  it('has a box for every state node, nested ones inside their parent', () => {
    expect(layout.boxes.map((b) => b.id).sort()).toEqual(allStates(chart.root).map((s) => s.id).sort());
    const parent = box('jobLifecycle.RESTARTING');
    for (const id of ['jobLifecycle.RESTARTING.backoff.waiting', 'jobLifecycle.RESTARTING.tasks.terminated']) {
      const child = box(id);
      expect(child.x).toBeGreaterThanOrEqual(parent.x);
      expect(child.y).toBeGreaterThanOrEqual(parent.y);
      expect(child.x + child.width).toBeLessThanOrEqual(parent.x + parent.width);
      expect(child.y + child.height).toBeLessThanOrEqual(parent.y + parent.height);
    }
  });

  it('labels transitions with their event types, delays and done events as people read them', () => {
    const labels = chart.transitions.map((t) => `${t.sourceId.split('.').pop()} -${t.label}-> ${t.targetId.split('.').pop()}`);
    expect(labels).toContain('CREATED -START-> RUNNING');
    expect(labels).toContain('RUNNING -FAILURE_HANDLED [canRestart]-> RESTARTING');
    expect(labels).toContain('RESTARTING -done-> RUNNING');
    expect(labels).toContain('waiting -after restartBackoff-> elapsed');
    expect(labels).toContain('jobLifecycle -SUSPEND-> SUSPENDED');
    expect(labels.some((l) => l.includes('TASK_FAILED'))).toBe(false);
  });

  it('places states along their transitions, left to right from the initial state', () => {
    expect(box('jobLifecycle.CREATED').x).toBeLessThan(box('jobLifecycle.RUNNING').x);
    expect(box('jobLifecycle.RUNNING').x).toBeLessThan(box('jobLifecycle.RESTARTING').x);
    expect(box('jobLifecycle.FAILING').x).toBeLessThan(box('jobLifecycle.FAILED').x);
  });

  it('draws every transition as a path with its label inside the chart', () => {
    expect(layout.arrows).toHaveLength(chart.transitions.length);
    for (const arrow of layout.arrows) {
      expect(arrow.path).toMatch(/^M[\d.-]+,[\d.-]+ [CL]/);
      expect(arrow.labelX).toBeGreaterThanOrEqual(0);
      expect(arrow.labelX).toBeLessThanOrEqual(layout.width);
      expect(arrow.labelY).toBeLessThanOrEqual(layout.height);
    }
  });

  it('lights an active leaf with its ancestors', () => {
    const ids = [...activeConfiguration(layout, ['jobLifecycle.RESTARTING.backoff.waiting'])].sort();
    expect(ids).toEqual(['jobLifecycle', 'jobLifecycle.RESTARTING', 'jobLifecycle.RESTARTING.backoff', 'jobLifecycle.RESTARTING.backoff.waiting']);
  });

  it('lays out the coordinator too, eventless transitions named by their guard', () => {
    const coordinator = chartOf(checkpointCoordinatorMachine);
    expect(coordinator.transitions.map((t) => t.label)).toContain('[tooManyPending]');
    expect(layoutChart(coordinator).boxes.map((b) => b.id)).toContain('checkpointCoordinator.running.waitingForSlot');
    expect(labelOf('xstate.after.untilNextTrigger.checkpointCoordinator.running.scheduled', null)).toBe('after untilNextTrigger');
  });
});
