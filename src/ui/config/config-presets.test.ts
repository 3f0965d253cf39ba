// The backpressure presets do what they say, run as the page runs them (the deterministic runtime, the page's
// network, virtual time): aligned, barriers wait behind the slow sink's queue; unaligned, they overtake it and
// the overtaken records are persisted as channel state, so checkpoints end sooner; with the aligned-checkpoint
// timeout, checkpoints switch to unaligned. Virtual time: deterministic, no wall clock.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../../engine/events';
import { SimulatedRuntimeJob } from '../live-job.svelte';
import { CONFIG_PRESETS } from './config-panel-model';
import { checkRunOptions, DEFAULT_RUN_OPTIONS, scenarioJobOptionsOf } from './run-options';

/** Long enough for the queue to build and several checkpoints to complete. */
const RUN_MS = 12_000;

function runPreset(id: string): readonly EngineEvent[] {
  const preset = CONFIG_PRESETS.find((candidate) => candidate.id === id)!;
  const checked = checkRunOptions(preset.options(DEFAULT_RUN_OPTIONS));
  if (!checked.ok) throw new Error(checked.problems.map((problem) => problem.message).join('; '));
  const job = new SimulatedRuntimeJob(scenarioJobOptionsOf(checked.options), { frames: null });
  const events: EngineEvent[] = [];
  const unsubscribe = job.session.subscribeEvents((delivered) => events.push(...delivered));
  for (let elapsed = 0; elapsed < RUN_MS; elapsed += 50) job.advance(50);
  unsubscribe();
  job.stop();
  return events;
}

const ofType = <T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T) => events.filter((event): event is EventOf<T> => event.type === type);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const endToEnd = (events: readonly EngineEvent[]) => median(ofType(events, 'checkpoint-completed').map((event) => event.endToEndDurationMs));

describe('the backpressure presets', () => {
  it('are valid runs of the deterministic runtime', () => {
    for (const preset of CONFIG_PRESETS) expect(checkRunOptions(preset.options(DEFAULT_RUN_OPTIONS)).ok, preset.id).toBe(true);
  });

  it('aligned: the barriers wait behind the slow sink’s queue for long; unaligned: barriers overtake, channel state is persisted, checkpoints end sooner', () => {
    const aligned = runPreset('backpressure-aligned');
    const unaligned = runPreset('backpressure-unaligned');
    const alignedAcks = ofType(aligned, 'checkpoint-acknowledged');
    expect(alignedAcks.every((ack) => !ack.unaligned && ack.persistedDataBytes === 0)).toBe(true);
    // The barrier waits behind the queue (start delay) before its alignment: more than a second at sum#1.
    expect(Math.max(...alignedAcks.filter((ack) => ack.taskId === 'sum#1').map((ack) => ack.startDelayMs + ack.alignmentDurationMs))).toBeGreaterThan(1000);
    expect(ofType(aligned, 'barrier-overtook')).toEqual([]);

    const unalignedAcks = ofType(unaligned, 'checkpoint-acknowledged');
    expect(unalignedAcks.some((ack) => ack.unaligned && ack.persistedDataBytes > 0)).toBe(true);
    expect(ofType(unaligned, 'barrier-overtook').length).toBeGreaterThan(0);
    expect(ofType(unaligned, 'checkpoint-completed').length).toBeGreaterThan(ofType(aligned, 'checkpoint-completed').length);
    expect(endToEnd(unaligned)).toBeLessThan(endToEnd(aligned));
  });

  it('aligned timeout: checkpoints start aligned and switch to unaligned once they run long', () => {
    const events = runPreset('backpressure-timeout');
    expect(ofType(events, 'checkpoint-switched-to-unaligned').length).toBeGreaterThan(0);
    expect(ofType(events, 'checkpoint-completed').length).toBeGreaterThan(0);
  });
});
