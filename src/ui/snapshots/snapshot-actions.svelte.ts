// What the page does with snapshots as files: download a retained checkpoint or savepoint, open one of them
// in the inspector, take a savepoint and download it, restore the job from the snapshot in the inspector.
// Each says on the page what it did, or why not; none of them disturbs the running job until a restore.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { formatSize } from '../format';
import type { PageController, PageJob, RestoreSource } from '../page-controller.svelte';
import { downloadBytes } from './download';
import type { OpenedSnapshot, SnapshotFiles } from './opened-snapshot.svelte';
import { exportSnapshotFile, snapshotFileName } from './snapshot-export';

export class SnapshotActions {
  /** What the last export did, or why it failed. */
  notice = $state<string | null>(null);
  /** A savepoint was triggered for download and has not completed yet. */
  savepointPending = $state(false);
  /** Why the last restore did not happen, for the snapshot it was asked of (another one opened hides it). */
  restoreError = $state.raw<{ readonly of: OpenedSnapshot; readonly message: string } | null>(null);
  restoring = $state(false);

  constructor(
    private readonly page: PageController,
    private readonly files: SnapshotFiles,
  ) {}

  async download(job: PageJob, checkpointId: number): Promise<void> {
    const metadata = this.find(job, checkpointId);
    if (!metadata) return;
    await this.exported(job, metadata, (bytes, name) => {
      downloadBytes(bytes, name);
      this.notice = `Downloaded ${name} (${formatSize(bytes.length)}).`;
    });
  }

  /** Opens a retained checkpoint or savepoint in the inspector, exactly as its downloaded file would read. */
  async inspect(job: PageJob, checkpointId: number): Promise<void> {
    const metadata = this.find(job, checkpointId);
    if (!metadata) return;
    await this.exported(job, metadata, (bytes, name) => {
      // A savepoint in the page's storage restores in place; anything else is restored from a copy.
      const stored = job.kind === 'worker' && metadata.isSavepoint ? metadata : null;
      this.files.openBytes(name, bytes, stored);
    });
  }

  takeSavepointAndDownload(job: PageJob): Promise<void> {
    return this.savepointAndDownload(job, 'Savepoint triggered; it downloads once every subtask has acknowledged it.', () => job.takeSavepoint(), '');
  }

  /** Flink's `flink stop`: the sources stop, a final savepoint is taken and committed, the job ends FINISHED. */
  stopWithSavepointAndDownload(job: PageJob): Promise<void> {
    return this.savepointAndDownload(
      job,
      'Stopping with a savepoint: periodic checkpoints stop, the final savepoint downloads once it completes, then the job finishes.',
      () => job.stopWithSavepoint(),
      ' The job stopped with it: its sink committed everything up to the savepoint.',
    );
  }

  private async savepointAndDownload(job: PageJob, waiting: string, take: () => Promise<CheckpointMetadata>, after: string): Promise<void> {
    if (this.savepointPending) return;
    this.savepointPending = true;
    this.notice = waiting;
    try {
      const metadata = await take();
      await this.exported(job, metadata, (bytes, name) => {
        downloadBytes(bytes, name);
        this.notice = `Savepoint ${metadata.checkpointId} completed; downloaded ${name} (${formatSize(bytes.length)}).${after}`;
      });
    } catch (error) {
      this.notice = `No savepoint to download: ${message(error)}.`;
    } finally {
      this.savepointPending = false;
    }
  }

  /** Restores from the snapshot open in the inspector, then closes it: the page shows the restored job. */
  async restore(parallelism: number): Promise<void> {
    const opened = this.files.opened;
    if (opened.kind !== 'opened' || this.restoring) return;
    const source: RestoreSource = opened.stored
      ? { kind: 'stored', metadata: opened.stored }
      : { kind: 'file', name: opened.name, snapshot: opened.file };
    this.restoring = true;
    this.restoreError = null;
    try {
      await this.page.restore(source, parallelism);
      this.files.close();
      this.notice = null;
    } catch (error) {
      this.restoreError = { of: opened, message: message(error) };
    } finally {
      this.restoring = false;
    }
  }

  private find(job: PageJob, checkpointId: number): CheckpointMetadata | undefined {
    const metadata = job.snapshots().find((candidate) => candidate.checkpointId === checkpointId);
    if (!metadata) this.notice = `Checkpoint ${checkpointId} is no longer retained (subsumed and discarded), so it cannot be exported.`;
    return metadata;
  }

  private async exported(job: PageJob, metadata: CheckpointMetadata, use: (bytes: Uint8Array, name: string) => void): Promise<void> {
    try {
      use(await exportSnapshotFile(metadata, job.job, job.readBlob), snapshotFileName(metadata));
    } catch (error) {
      // Subsumed while its files were being read (num-retained keeps only the newest): its state is gone, so say that.
      const stillRetained = job.snapshots().some((candidate) => candidate.checkpointId === metadata.checkpointId);
      this.notice = stillRetained
        ? `Could not export ${snapshotFileName(metadata)}: ${message(error)}`
        : `Checkpoint ${metadata.checkpointId} is no longer retained (subsumed and discarded while it was being exported), so it cannot be exported.`;
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
