// Waiting for a condition in real time (Worker and IndexedDB tests): polls, and gives up only after
// WAIT_LIMIT_MS with the condition's name, so a slow machine is slower but never wrong.
import { WAIT_LIMIT_MS } from './limits';

const POLL_INTERVAL_MS = 20;

export async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs: number = WAIT_LIMIT_MS): Promise<void> {
  const start = performance.now();
  while (!(await condition())) {
    if (performance.now() - start > limitMs) throw new Error(`Gave up after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** The job's completed checkpoints, read through `latestCheckpointId`. */
export interface CheckpointProgress {
  latestCheckpointId(): number;
}

/**
 * Waits until `count` more checkpoints have completed. After the input is drained, one completed
 * checkpoint commits every transaction pre-committed before it; a second one also covers records that
 * were still in flight: so output checked after this is final, whatever the machine's speed.
 */
export async function untilCheckpointsComplete(progress: CheckpointProgress, count: number, what = `${count} more completed checkpoints`): Promise<void> {
  const target = progress.latestCheckpointId() + count;
  await until(() => progress.latestCheckpointId() >= target, what);
}
