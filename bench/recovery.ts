// The benchmark's recovery figure: kill a keyed subtask's Worker after a checkpoint completed and time how
// long until records move again from the restored checkpoint.
import { now, startJob, until, type BenchSettings, type JobRun } from './job-run';

/** Kill a worker after a checkpoint; time until records flow again from the restored checkpoint. */
export async function recovery(settings: BenchSettings, parallelism: number, keys: number, kills: number): Promise<number[]> {
  const run = await startJob(settings, parallelism, keys, 1000, 150_000, {
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': 100,
    'restart-strategy.fixed-delay.delay': '0 ms',
  });
  const durations: number[] = [];
  for (let i = 0; i < kills; i++) {
    const completed = run.job.jobMaster.stats.statistics().counts.completed;
    await until(() => run.job.jobMaster.stats.statistics().counts.completed > completed && run.job.jobMaster.status === 'RUNNING', 60_000, 'a checkpoint');
    const killedAt = now();
    run.job.kill(`count#${i % parallelism}`);
    await until(() => run.lastMoveTime > killedAt && run.events.some((e) => e.type === 'task-restored' && e.time > killedAt), 60_000, 'records after the restore');
    durations.push(firstMoveAfter(run, killedAt) - killedAt);
  }
  run.job.stop();
  return durations;
}

/** The earliest records-moved time after `time` (batches carry the time of their first buffer). */
function firstMoveAfter(run: JobRun, time: number): number {
  return Math.min(...run.moveTimes.filter((t) => t > time));
}
