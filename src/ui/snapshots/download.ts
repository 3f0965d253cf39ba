// Saving bytes as a file the browser downloads: an object URL on a temporary link, released once clicked.
import { SNAPSHOT_FILE_MEDIA_TYPE } from '../../engine/format';

export function downloadBytes(bytes: Uint8Array, fileName: string, mediaType = SNAPSHOT_FILE_MEDIA_TYPE): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is no longer needed once this task ends.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
