import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { foldAll } from '../model/event-fold';
import { SourceLogsFold } from './source-logs';
import { eventsUntil, killedRun } from './views.fixture';

describe('sources as logs in a killed exactly-once run', () => {
  const { events } = killedRun();
  const logs = (until = Infinity) => foldAll(() => new SourceLogsFold(), eventsUntil(events, until)).view(Infinity);
  const rewound = events.find((e) => e.type === 'source-rewound')!;
  const completed = events.filter((e): e is Extract<EngineEvent, { type: 'checkpoint-completed' }> => e.type === 'checkpoint-completed');

  it('shows each partition at the offset stored in the latest completed checkpoint', () => {
    const latest = completed.at(-1)!;
    const offsets = latest.sourceOffsets?.numbers;
    if (!offsets) return; // older engines: only the rewind tells the offsets
    for (const log of logs().partitions) expect(log.checkpointedOffset).toBe(offsets[String(log.partition)]);
  });

  it('jumps each read head back to the restored offsets on restore', () => {
    const view = logs(rewound.time);
    expect(rewound.type).toBe('source-rewound');
    if (rewound.type !== 'source-rewound') return;
    for (const [partition, offset] of Object.entries(rewound.offsets)) {
      const log = view.partitions.find((p) => p.partition === Number(partition))!;
      expect(log.offset).toBe(offset);
      expect(log.lastRewind).toMatchObject({ time: rewound.time, to: offset });
      expect(log.checkpointedOffset).toBe(offset);
    }
  });
});

describe('a source partition read, checkpointed, rewound and read again', () => {
  const base = { taskId: 'numbers#0', attempt: 0, source: 'numbers', partition: 0 } as const;
  const events: EngineEvent[] = [
    { type: 'source-read', time: 10, ...base, fromOffset: 0, toOffset: 10 },
    { type: 'checkpoint-completed', time: 20, checkpointId: 1, isSavepoint: false, endToEndDurationMs: 5, stateSizeBytes: 1, checkpointedSizeBytes: 1, externalPath: 'memory://x/chk-1', sourceOffsets: { numbers: { '0': 6 } } },
    { type: 'source-read', time: 30, ...base, fromOffset: 10, toOffset: 14 },
    { type: 'source-rewound', time: 40, taskId: 'numbers#0', attempt: 1, source: 'numbers', offsets: { '0': 6 } },
    { type: 'source-read', time: 50, ...base, attempt: 1, fromOffset: 6, toOffset: 9 },
  ];

  it('moves the read head with source-read and keeps the checkpointed offset from checkpoint-completed', () => {
    const log = foldAll(() => new SourceLogsFold(), events.slice(0, 3)).view(Infinity).partitions[0]!;
    expect(log).toMatchObject({ id: 'numbers/0', offset: 14, checkpointedOffset: 6, checkpointId: 1, highWatermark: 14 });
  });

  it('marks the records read before the rewind as read again, and counts those already re-read', () => {
    const log = foldAll(() => new SourceLogsFold({ windowSize: 16 }), events).view(Infinity).partitions[0]!;
    expect(log.offset).toBe(9);
    expect(log.lastRewind).toEqual({ time: 40, from: 14, to: 6 });
    expect(log.replayedRecords).toBe(3);
    const replayed = log.cells.filter((c) => c.replayed).map((c) => c.offset);
    expect(replayed).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
    expect(log.cells.filter((c) => c.read).map((c) => c.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('moves nothing on a read of an older attempt (a killed task’s last events) after the rewind', () => {
    const stale: EngineEvent = { type: 'source-read', time: 45, ...base, fromOffset: 14, toOffset: 18 };
    const log = foldAll(() => new SourceLogsFold(), [...events.slice(0, 4), stale]).view(Infinity).partitions[0]!;
    expect(log).toMatchObject({ offset: 6, highWatermark: 14 });
  });

  it('rewinds the head when a newer attempt reads from below it without a source-rewound (a restart with no checkpoint)', () => {
    const restart: EngineEvent = { type: 'source-read', time: 45, ...base, attempt: 1, fromOffset: 0, toOffset: 3 };
    const log = foldAll(() => new SourceLogsFold(), [events[0]!, restart]).view(Infinity).partitions[0]!;
    expect(log).toMatchObject({ offset: 3, lastRewind: { time: 45, from: 10, to: 0 }, replayedRecords: 3 });
  });

  it('draws a window around the head of an unbounded partition', () => {
    const far: EngineEvent[] = [{ type: 'source-read', time: 1, ...base, fromOffset: 0, toOffset: 10_000 }];
    const log = foldAll(() => new SourceLogsFold({ windowSize: 32 }), far).view(Infinity).partitions[0]!;
    expect(log.window).toEqual({ start: 10_000 - 24, end: 10_000 + 8 });
    expect(log.cells).toHaveLength(32);
  });
});
