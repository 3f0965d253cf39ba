// The snapshot file open on the page, for inspection without restoring it: from the file picker, a drop on
// the page, or the sample. Decoded with the format's own checks; a bad file becomes its one-line reason and
// leaves everything else on the page as it was. Only the newest request wins when files are opened quickly.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { decodeSnapshotFile, inspectSnapshot, SNAPSHOT_FILE_LIMITS, type SnapshotFile, type SnapshotFileError, type SnapshotInspection } from '../../engine/format';

export type OpenedSnapshot =
  | { readonly kind: 'none' }
  | { readonly kind: 'reading'; readonly name: string }
  | {
      readonly kind: 'opened';
      readonly name: string;
      readonly file: SnapshotFile;
      readonly inspection: SnapshotInspection;
      /** Set when the file was exported from a savepoint still in the page's storage: it restores in place. */
      readonly stored: CheckpointMetadata | null;
    }
  | { readonly kind: 'refused'; readonly name: string; readonly error: SnapshotFileError };

/** Where the page's sample lives (public/samples/, served at the site's base): a savepoint this page made. */
export const SAMPLE_SNAPSHOT_PATH = 'samples/browser-savepoint.bscp';
/** The CLI's sample (`barrierscope run --stop-with-savepoint`): a file made in the CLI restores here too. */
export const CLI_SAMPLE_SNAPSHOT_PATH = 'samples/running-sum-savepoint.bscp';

export class SnapshotFiles {
  /** `$state.raw`: the decoded file is large and never changed, only replaced. */
  opened = $state.raw<OpenedSnapshot>({ kind: 'none' });
  #request = 0;

  async openFile(file: File): Promise<void> {
    const request = this.begin(file.name);
    // Refused before reading: a huge file is never pulled into memory.
    if (file.size > SNAPSHOT_FILE_LIMITS.maxFileBytes) {
      this.refuse(request, file.name, { kind: 'too-large', where: 'file', message: `file: ${file.size} bytes, more than the ${SNAPSHOT_FILE_LIMITS.maxFileBytes} allowed` });
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      this.refuse(request, file.name, { kind: 'not-a-zip', where: 'file', message: `file: could not be read (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    this.decode(request, file.name, bytes);
  }

  async openSample(baseUrl: string, path: string = SAMPLE_SNAPSHOT_PATH): Promise<void> {
    const name = path.split('/').at(-1)!;
    const request = this.begin(name);
    try {
      const response = await fetch(`${baseUrl}${path}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.decode(request, name, new Uint8Array(await response.arrayBuffer()));
    } catch (error) {
      this.refuse(request, name, { kind: 'not-a-zip', where: 'file', message: `file: the sample could not be loaded (${error instanceof Error ? error.message : String(error)})` });
    }
  }

  openBytes(name: string, bytes: Uint8Array, stored: CheckpointMetadata | null = null): void {
    this.decode(this.begin(name), name, bytes, stored);
  }

  close(): void {
    this.#request++;
    this.opened = { kind: 'none' };
  }

  private begin(name: string): number {
    this.opened = { kind: 'reading', name };
    return ++this.#request;
  }

  private decode(request: number, name: string, bytes: Uint8Array, stored: CheckpointMetadata | null = null): void {
    if (request !== this.#request) return;
    const decoded = decodeSnapshotFile(bytes);
    if (!decoded.ok) {
      this.refuse(request, name, decoded.error);
      return;
    }
    try {
      this.opened = { kind: 'opened', name, file: decoded.value, inspection: inspectSnapshot(decoded.value), stored };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.refuse(request, name, { kind: 'internal', where: 'inspection', message: `inspection: unexpected failure (${detail})` });
    }
  }

  private refuse(request: number, name: string, error: SnapshotFileError): void {
    if (request === this.#request) this.opened = { kind: 'refused', name, error };
  }
}
