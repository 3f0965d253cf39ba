// The view tests' unaligned run: running-sum on the deterministic runtime with unaligned checkpoints on, sum#1
// slowed ×400 from the start so its input queues fill (backpressure, barriers overtake them), and sum#1 killed at
// 5 s so the job restores an unaligned checkpoint and puts its channel state back. Options only: each test runs
// it its own way (runScenario, deployedRun) and may add Flink options.
import { parseFault } from '../runtime/sim/fault-plan';
import type { RunScenarioOptions } from '../runtime/sim/run-scenario';

export const UNALIGNED_BACKPRESSURED_RUN = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 500,
  mode: 'exactly-once',
  seed: 5,
  recordsPerSecond: 200,
  unbounded: true,
  untilMs: 7000,
  configuration: { 'execution.checkpointing.unaligned.enabled': true },
  faults: [parseFault('slow-task:sum#1@0x400'), parseFault('kill:sum#1@5000')],
} as const satisfies Omit<RunScenarioOptions, 'onEvent'>;
