// The Worker runtime's samples carry busy / backpressured / idle ms per second measured on the real clock:
// whole ms in [0, 1000] summing to 1000 for a running task, and a lightly loaded job mostly idle.
import { afterEach, expect, it } from 'vitest';
import { until } from '../../../tests/support/until';
import type { TaskSample } from '../../engine/samples';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { realClock } from './real-clock';
import { WorkerSession } from './worker-session';

let session: WorkerSession | null = null;
afterEach(() => session?.close());

it('samples where each task\'s time goes, from the real clock', async () => {
  session = new WorkerSession({
    jobId: `task-time-${Math.random()}`,
    scenario: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 200, mode: 'exactly-once', keys: 20, recordsPerSecond: 50 },
    storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }),
    databaseName: null,
  });
  const samples: TaskSample[] = [];
  session.subscribeSamples((batch) => samples.push(...batch));
  session.start();
  const running = () => samples.filter((sample) => sample.state === 'RUNNING');
  await until(() => new Set(running().map((sample) => sample.taskId)).size === 4 && running().length >= 12, 'a few samples of all four running subtasks');
  for (const sample of samples) {
    const values = [sample.busyTimeMsPerSecond, sample.backPressuredTimeMsPerSecond, sample.idleTimeMsPerSecond];
    for (const value of values) expect(Number.isInteger(value) && value >= 0 && value <= 1000).toBe(true);
    expect(values.reduce((a, b) => a + b, 0)).toBe(sample.state === 'RUNNING' ? 1000 : 0);
  }
  const last = running().slice(-4);
  expect(last.reduce((sum, sample) => sum + sample.idleTimeMsPerSecond, 0) / last.length).toBeGreaterThan(500);
});
