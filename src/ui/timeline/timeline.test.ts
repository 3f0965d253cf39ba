// The timeline: whatever the sequence of recording, seeking back and forth, stepping and going live, the
// folds at the cursor show what folding the recorded events up to the cursor from scratch shows (plus each
// task's latest sample at or before it) — for a probe fold (fast-check) and for the page's real folds over
// a recorded deterministic run. Memory stays within its bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import { SimulationSession } from '../../runtime/sim/simulation-session';
import { CheckpointStatsFold } from '../../engine/checkpoint/checkpoint-stats-fold';
import { JobGraphFold } from '../graph/job-graph-fold';
import { foldAll, type EventFold } from '../model/event-fold';
import { NarrationFold } from '../views/narration';
import { SnapshotShelfFold } from '../views/snapshot-shelf';
import { SourceLogsFold } from '../views/source-logs';
import { Timeline } from './timeline';

/** Remembers what it was given: the events in order and each task's last sample. */
class ProbeFold implements EventFold<string> {
  readonly events: number[] = [];
  readonly samples = new Map<string, number>();
  apply(event: EngineEvent): void {
    this.events.push(event.time);
  }
  applySample(sample: TaskSample): void {
    this.samples.set(sample.taskId, sample.time);
  }
  view(now: number): string {
    return JSON.stringify({ now, events: this.events, samples: [...this.samples].sort() });
  }
}

const fault = (time: number): EngineEvent => ({ type: 'fault-injected', time, fault: `f${time}` });
const sample = (taskId: string, time: number) => ({ taskId, time }) as unknown as TaskSample;

/** What folding from scratch shows at `position` events and time `time`. */
function reference(events: readonly EngineEvent[], samples: readonly TaskSample[], position: number, time: number): string {
  const fold = foldAll(() => new ProbeFold(), events.slice(0, position));
  const latest = new Map<string, TaskSample>();
  for (const s of samples) if (s.time <= time) latest.set(s.taskId, s);
  for (const s of latest.values()) fold.applySample!(s);
  return fold.view(time);
}

type Op =
  | { kind: 'events'; gaps: number[] }
  | { kind: 'sample'; task: number }
  | { kind: 'seek'; fraction: number }
  | { kind: 'step' }
  | { kind: 'live' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('events' as const), gaps: fc.array(fc.integer({ min: -5, max: 20 }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('sample' as const), task: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('seek' as const), fraction: fc.double({ min: -0.1, max: 1.1, noNaN: true }) }),
  fc.constant({ kind: 'step' as const }),
  fc.constant({ kind: 'live' as const }),
);

describe('Timeline', () => {
  it('shows at the cursor what folding the recorded events from scratch shows, however it got there (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 60, size: 'max' }), (ops) => {
        const timeline = new Timeline({ probe: () => new ProbeFold() });
        const events: EngineEvent[] = [];
        const samples: TaskSample[] = [];
        let clock = 0;
        let lastTime = 0;
        for (const o of ops) {
          if (o.kind === 'events') {
            // Times may step back (the Worker runtime's merge across sources).
            const batch = o.gaps.map((gap) => fault((lastTime = Math.max(0, lastTime + gap))));
            clock = Math.max(clock, lastTime);
            events.push(...batch);
            timeline.record(batch);
          } else if (o.kind === 'sample') {
            clock += 1;
            const s = sample(`t${o.task}`, clock);
            samples.push(s);
            timeline.recordSamples([s]);
          } else if (o.kind === 'seek') {
            timeline.seek((timeline.startTime ?? 0) + o.fraction * clock);
          } else if (o.kind === 'step') {
            timeline.stepForward();
          } else {
            timeline.goLive();
          }
          const cursor = timeline.cursor;
          const expected = cursor.live ? reference(events, samples, events.length, clock) : reference(events, samples, cursor.position, cursor.time);
          expect(timeline.views(clock).probe).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('maps time to position by the running maximum, and marks checkpoints and faults for the scrubber', () => {
    const timeline = new Timeline({});
    timeline.record([fault(10), fault(5), fault(20)]);
    timeline.record([{ type: 'checkpoint-triggered', time: 30, checkpointId: 1, isSavepoint: false, checkpointType: 'CHECKPOINT' }]);
    expect(timeline.positionAt(9)).toBe(0);
    expect(timeline.positionAt(10)).toBe(2);
    expect(timeline.positionAt(100)).toBe(4);
    expect(timeline.marks.map((mark) => [mark.kind, mark.time, mark.position])).toEqual([
      ['fault', 10, 1],
      ['fault', 5, 2],
      ['fault', 20, 3],
      ['checkpoint-triggered', 30, 4],
    ]);
  });

  it('keeps at most maxEvents events, and every deployment, so a rebuilt fold still knows the topology', () => {
    const timeline = new Timeline({ probe: () => new ProbeFold() }, { maxEvents: 100, maxSamplesPerTask: 10 });
    const deployed = { type: 'job-deployed', time: 0, attempt: 1, restoredCheckpointId: null, vertices: [], subtasks: [], channels: [] } as unknown as EngineEvent;
    timeline.record([deployed]);
    for (let time = 1; time <= 1000; time++) {
      timeline.record([fault(time)]);
      timeline.recordSamples([sample('t0', time)]);
    }
    expect(timeline.head - timeline.earliest).toBeLessThanOrEqual(100);
    timeline.seek(0);
    expect(timeline.eventAt(timeline.earliest)?.type).toBe('job-deployed');
    const probe = JSON.parse(timeline.views(0).probe) as { events: number[]; samples: Array<[string, number]> };
    expect(probe.events).toEqual([0]);
    timeline.goLive();
    expect((JSON.parse(timeline.views(1000).probe) as { samples: unknown }).samples).toEqual([['t0', 1000]]);
  });

  it("keeps the page's folds over a recorded run as folding from scratch does, seeking back and forth", () => {
    const session = new SimulationSession({
      job: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 400, mode: 'exactly-once', keys: 20, recordsPerSecond: 80, seed: 7, faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 1500 }] },
      frames: null,
    });
    const factories = {
      graph: () => new JobGraphFold(),
      shelf: () => new SnapshotShelfFold(),
      narration: () => new NarrationFold(),
      sources: () => new SourceLogsFold(),
      statistics: () => ({ fold: new CheckpointStatsFold(), apply(event: EngineEvent) { this.fold.apply(event); }, view: function () { return this.fold.statistics(); } }),
    };
    const timeline = new Timeline(factories);
    const events: EngineEvent[] = [];
    const samples: TaskSample[] = [];
    session.subscribeEvents((batch) => {
      events.push(...batch);
      timeline.record(batch);
    });
    session.subscribeSamples((batch) => {
      samples.push(...batch);
      timeline.recordSamples(batch);
    });
    session.advance(4000);
    const end = session.now();
    for (const time of [3000, 500, 1600, 1400, 3900, 200, end]) {
      timeline.seek(time);
      const position = timeline.cursor.live ? events.length : timeline.cursor.position;
      const latest = new Map<string, TaskSample>();
      for (const s of samples) if (s.time <= time) latest.set(s.taskId, s);
      for (const [name, factory] of Object.entries(factories)) {
        const fresh = foldAll(factory as () => EventFold<unknown>, events.slice(0, position), latest.values());
        expect(JSON.stringify((timeline.views(end) as Record<string, unknown>)[name]), `${name} at ${time}`).toBe(JSON.stringify(fresh.view(time)));
      }
    }
    session.close();
  });
});
