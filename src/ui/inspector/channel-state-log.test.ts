// The inspector's channel state, folded from a backpressured unaligned run with a restore: per checkpoint and
// subtask the overtaken records add up to what the stream said, input parts name their sender, output parts
// their consumer, and the restore's parts are what the restored attempt put back.
import { describe, expect, it } from 'vitest';
import { UNALIGNED_BACKPRESSURED_RUN } from '../unaligned-run.fixture';
import { runScenario } from '../../runtime/sim/run-scenario';
import { ChannelStateLog } from './channel-state-log';

const { events } = runScenario(UNALIGNED_BACKPRESSURED_RUN);

describe('ChannelStateLog', () => {
  const log = new ChannelStateLog();
  for (const event of events) log.apply(event);

  it('adds up each checkpoint’s overtaken records per subtask, naming the other end', () => {
    const overtakes = events.filter((event) => event.type === 'barrier-overtook');
    expect(overtakes.length).toBeGreaterThan(0);
    const newest = Math.max(...overtakes.map((event) => (event.type === 'barrier-overtook' ? event.checkpointId : 0)));
    for (const taskId of ['numbers#0', 'numbers#1', 'sum#0', 'sum#1']) {
      const expected = overtakes.filter((event) => event.type === 'barrier-overtook' && event.checkpointId === newest && event.taskId === taskId);
      const parts = log.overtaken(newest, taskId);
      expect(parts.reduce((sum, part) => sum + part.records, 0)).toBe(expected.reduce((sum, event) => sum + (event.type === 'barrier-overtook' ? event.records : 0), 0));
      for (const part of parts) {
        if (part.side === 'input') expect(part.peer).toMatch(/^numbers#[01]$/);
        else expect(part.peer).toMatch(/^sum#[01]$/);
      }
    }
  });

  it('keeps what the latest restore put back, per subtask', () => {
    const restoredEvents = events.filter((event) => event.type === 'channel-state-restored' && event.taskId === 'sum#1');
    expect(restoredEvents.length).toBeGreaterThan(0);
    const restored = log.restored('sum#1')!;
    expect(restored.parts.reduce((sum, part) => sum + part.records, 0)).toBe(restoredEvents.reduce((sum, event) => sum + (event.type === 'channel-state-restored' ? event.records : 0), 0));
    expect(restored.parts.every((part) => part.side === 'input' && part.peer?.startsWith('numbers#'))).toBe(true);
  });
});
