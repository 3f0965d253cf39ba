// The page's default job on real Web Workers: running-sum never runs dry, and a kill keeps its committed
// output exactly-once on every prefix — keys of later generations complete, none is off its sums.
import { afterEach, expect, it } from 'vitest';
import { until } from '../../tests/support/until';
import { MemoryCheckpointStorage } from '../storage/memory-checkpoint-storage';
import { realClock } from '../runtime/worker/real-clock';
import { WorkerJob } from '../runtime/worker/worker-job';
import { checkAgainstLedger } from './scenario';
import { runningSumLedger } from './running-sum';

let job: WorkerJob | null = null;
afterEach(() => job?.stop());

it('runs past the bounded input on Workers and stays exactly-once across a kill', async () => {
  const keys = 12;
  job = new WorkerJob({
    jobId: `unbounded-${Math.random()}`,
    scenario: {
      scenario: 'running-sum',
      parallelism: 2,
      checkpointIntervalMs: 100,
      mode: 'exactly-once',
      keys,
      recordsPerSecond: 300,
      unbounded: true,
      configuration: { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '50 ms', 'restart-strategy.fixed-delay.attempts': 5 },
    },
    storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }),
    databaseName: null,
  });
  const running = job;
  running.start();
  const progress = () => checkAgainstLedger(running.output(), runningSumLedger(running.job.parameters));
  await until(() => progress().completedKeys >= keys, 'the first generation committed');
  expect(running.kill('sum#1')).toBe(true);
  await until(() => running.jobMaster.numRestarts === 1 && running.jobMaster.status === 'RUNNING', 'the restart');
  // Twelve keys × five records are the bounded input; three more generations must follow it.
  await until(() => progress().completedKeys >= 4 * keys, 'three more generations committed');
  expect(running.job.scenario.checkExactlyOnce(running.output(), running.job.parameters)).toEqual([]);
  expect(progress().problems).toEqual([]);
});
