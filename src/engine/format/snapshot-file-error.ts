// Why a snapshot file was refused: a kind to branch on and one line naming what is wrong and where (the
// entry, the field path or the byte offset). Decoding returns these as values; it never throws.

export type SnapshotFileErrorKind =
  /** Not a Uint8Array, or larger than the named maximum. */
  | 'too-large'
  | 'not-a-zip'
  /** A zip whose structure is broken: truncated, inconsistent headers, bad deflate data. */
  | 'corrupt-zip'
  /** Declared or actual sizes beyond the limits, or entries that overlap. */
  | 'zip-bomb'
  | 'missing-entry'
  | 'unexpected-entry'
  | 'checksum-mismatch'
  /** `_metadata` does not say it is a Barrierscope snapshot. */
  | 'bad-magic'
  | 'unsupported-version'
  | 'invalid-metadata'
  /** A state entry's bytes do not decode, or disagree with `_metadata`. */
  | 'invalid-entry'
  /** A bug in the decoder, never the file's fault; still returned, never thrown. */
  | 'internal';

export interface SnapshotFileError {
  readonly kind: SnapshotFileErrorKind;
  /** `file`, `zip`, an entry name, `_metadata: operators[0].parallelism`, or `<entry> @ byte 12`. */
  readonly where: string;
  /** One line: `<where>: <what is wrong>`. */
  readonly message: string;
}

/** Thrown inside the decoder only, and turned into a SnapshotFileError at its boundary. */
export class SnapshotFileFailure extends Error {
  constructor(
    readonly kind: SnapshotFileErrorKind,
    readonly where: string,
    detail: string,
  ) {
    super(oneLine(`${where}: ${detail}`));
  }

  toError(): SnapshotFileError {
    return { kind: this.kind, where: oneLine(this.where), message: this.message };
  }
}

export function fail(kind: SnapshotFileErrorKind, where: string, detail: string): never {
  throw new SnapshotFileFailure(kind, where, detail);
}

/** A string from the file, quoted and cut short so it cannot break the one-line message. */
export function quote(text: string, maxLength = 80): string {
  const cut = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return JSON.stringify(cut);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Thrown by the encoder for input that cannot be a snapshot (a missing blob, inconsistent handles). */
export class SnapshotEncodingError extends Error {}
