// The zip records a snapshot file uses (PKWARE APPNOTE 4.3): local file header, central directory header,
// end of central directory; no zip64, no encryption. Shared by the writer and the strict reader.

export const LOCAL_FILE_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_DIRECTORY_HEADER_SIGNATURE = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;

export const LOCAL_FILE_HEADER_BYTES = 30;
export const CENTRAL_DIRECTORY_HEADER_BYTES = 46;
export const END_OF_CENTRAL_DIRECTORY_BYTES = 22;
/** The end record may carry a comment of up to 65,535 bytes; the reader looks that far back for it. */
export const MAX_ZIP_COMMENT_BYTES = 0xffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

/** General purpose flags the writer sets: bit 11, names are UTF-8. */
export const FLAG_UTF8_NAMES = 0x0800;
/** Bit 0 (encrypted) and bit 6 (strong encryption): refused. */
export const FLAGS_ENCRYPTED = 0x0041;
/** Bit 3: sizes and CRC follow the data in a data descriptor (allowed when reading; never written). */
export const FLAG_DATA_DESCRIPTOR = 0x0008;

/** Version needed to extract: 2.0 (deflate). Also written as "version made by" (MS-DOS attributes). */
export const ZIP_VERSION = 20;
/** MS-DOS time 00:00:00 and date 1980-01-01, the earliest zip can say: entries carry no real time, so files are reproducible. */
export const DOS_TIME = 0;
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** DEFLATE expands at most 1032:1 (a 258-byte match per ~2 bits); a larger declared ratio is a lie. */
export const MAX_DEFLATE_RATIO = 1032;
