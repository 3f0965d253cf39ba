import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount, type Component } from 'svelte';
import { jobLifecycleMachine } from '../../machines/job-lifecycle.machine';
import { foldAll } from '../model/event-fold';
import { runningSumExpectation } from './ledger-model';
import { JobLifecycleStatesFold } from './machine-states';
import { NarrationFold } from './narration';
import { OutputLedgerFold } from './output-ledger';
import { SnapshotShelfFold } from './snapshot-shelf';
import { SourceLogsFold } from './source-logs';
import { allStates, chartOf } from './statechart-definition';
import { eventsUntil, killedRun } from './views.fixture';
import Narration from './Narration.svelte';
import OutputLedger from './OutputLedger.svelte';
import PendingCheckpoints from './PendingCheckpoints.svelte';
import SnapshotShelf from './SnapshotShelf.svelte';
import SourceLogSlot from './SourceLogSlot.svelte';
import Statechart from './Statechart.svelte';

// The test contract of ../shared/UI.md, on components fed by folds of a real run (running-sum, sum#0 killed).
const run = killedRun();
const rewound = run.events.find((e) => e.type === 'source-rewound')!;

let mounted: Record<string, unknown>[] = [];
afterEach(() => {
  for (const component of mounted) void unmount(component);
  mounted = [];
  document.body.replaceChildren();
});

async function render<Props extends Record<string, unknown>>(component: Component<Props>, props: Props, svg = false): Promise<Element> {
  await page.viewport(1280, 800);
  const target = svg ? document.createElementNS('http://www.w3.org/2000/svg', 'svg') : document.createElement('div');
  document.body.append(target);
  mounted.push(mount(component, { target, props }));
  flushSync();
  return target;
}

describe('the views keep the test contract', () => {
  it('the snapshot shelf: a frame per checkpoint with its status and savepoint flag', async () => {
    const view = foldAll(() => new SnapshotShelfFold({ maxFrames: 20 }), run.events).view(run.endTimeMs);
    const root = await render(SnapshotShelf, { view });
    expect(root.querySelector('[data-view="snapshot-shelf"]')).not.toBeNull();
    const frames = [...root.querySelectorAll<HTMLElement>('[data-checkpoint-id]')];
    expect(frames.map((f) => Number(f.dataset.checkpointId))).toEqual(view.frames.map((f) => f.checkpointId));
    expect(frames.every((f) => f.dataset.status === 'COMPLETED' && f.dataset.savepoint === 'false')).toBe(true);
    expect(root.querySelector('[data-restored="true"]')?.getAttribute('data-checkpoint-id')).toBe(String(view.restoredCheckpointId));
  });

  it('a statechart: its machine, every state node, the active ones lit', async () => {
    const view = foldAll(() => new JobLifecycleStatesFold(), eventsUntil(run.events, rewound.time - 1)).view(rewound.time - 1);
    const root = await render(Statechart, { machine: jobLifecycleMachine, view, title: 'Job lifecycle', description: 'JobStatus' });
    const chart = root.querySelector('[data-view="statechart"][data-machine="jobLifecycle"]')!;
    expect(chart).not.toBeNull();
    const active = [...chart.querySelectorAll('[data-active="true"]')].map((n) => n.getAttribute('data-state-node'));
    expect(active).toEqual(['jobLifecycle.RESTARTING', 'jobLifecycle.RESTARTING.backoff', 'jobLifecycle.RESTARTING.backoff.waiting', 'jobLifecycle.RESTARTING.tasks', 'jobLifecycle.RESTARTING.tasks.terminated']);
    expect(chart.querySelectorAll('[data-state-node]').length).toBe(allStates(chartOf(jobLifecycleMachine).root).length - 1);
  });

  it('the coordinator cards draw each pending checkpoint with its own machine', async () => {
    const ack = run.events.find((e) => e.type === 'checkpoint-acknowledged')!;
    const view = foldAll(() => new SnapshotShelfFold(), eventsUntil(run.events, ack.time)).view(ack.time);
    const root = await render(PendingCheckpoints, { view, now: ack.time });
    const card = root.querySelector('[data-checkpoint-id="1"]')!;
    expect(card.getAttribute('data-status')).toBe('IN_PROGRESS');
    expect(card.querySelector('[data-machine="pendingCheckpoint"] [data-active="true"][data-state-node="pendingCheckpoint.pending"]')).not.toBeNull();
  });

  it('the source logs beside a source subtask: a partition each, its read offset and checkpointed offset; the head is back after the restore', async () => {
    const view = foldAll(() => new SourceLogsFold(), eventsUntil(run.events, rewound.time)).view(rewound.time);
    if (rewound.type !== 'source-rewound') throw new Error('no rewind');
    const root = await render(SourceLogSlot, { view, slot: { taskId: rewound.taskId, x: 0, y: 0, width: 120, height: 80 } }, true);
    const logs = [...root.querySelectorAll<SVGElement>('[data-view="source-log"]')];
    expect(logs.map((l) => l.dataset.partition).sort()).toEqual(Object.keys(rewound.offsets).sort());
    for (const [partition, offset] of Object.entries(rewound.offsets)) {
      const log = logs.find((l) => l.dataset.partition === partition)!;
      expect(log.dataset.offset).toBe(String(offset));
      expect(log.dataset.checkpointedOffset).toBe(String(offset));
    }
  });

  it('the output ledger: committed, lost and duplicated', async () => {
    const view = foldAll(() => new OutputLedgerFold(runningSumExpectation), run.events).view(run.endTimeMs);
    const root = await render(OutputLedger, { view });
    const ledger = root.querySelector<HTMLElement>('[data-view="output-ledger"]')!;
    expect(ledger.dataset).toMatchObject({ lost: '0', duplicated: '0', committed: String(run.output.length) });
  });

  it('the at-least-once ledger lights its duplicates', async () => {
    const atLeastOnce = killedRun('at-least-once');
    const view = foldAll(() => new OutputLedgerFold(runningSumExpectation), atLeastOnce.events).view(atLeastOnce.endTimeMs);
    const root = await render(OutputLedger, { view });
    expect(Number(root.querySelector<HTMLElement>('[data-view="output-ledger"]')!.dataset.duplicated)).toBeGreaterThan(0);
    expect(root.querySelectorAll('.chip.duplicate').length).toBeGreaterThan(0);
  });

  it('the narration: lines with their time; a click seeks there; a filter hides a kind', async () => {
    const view = foldAll(() => new NarrationFold(), run.events).view(run.endTimeMs);
    const seeks: number[] = [];
    const root = await render(Narration, { view, onseek: (time: number) => seeks.push(time) });
    const lines = root.querySelectorAll<HTMLElement>('[data-view="narration"] [data-time]');
    expect(lines.length).toBeGreaterThan(10);
    const first = lines[0]!;
    await userEvent.click(first.querySelector('button')!);
    expect(seeks).toEqual([Number(first.dataset.time)]);
    await userEvent.click(root.querySelector('button.filter.alignment')!);
    expect(root.querySelector('[data-kind="alignment"]')).toBeNull();
  });
});
