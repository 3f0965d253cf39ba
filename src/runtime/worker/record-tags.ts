// The binary record format of a channel (docs/benchmarks.md, "The data plane"): each value starts with
// one of these tags; strings and JSON texts travel beside the bytes, in the order the tags name them.
// A record means exactly what its JSON round trip means: the Worker runtime's channels always were JSON.

/** Null, and what JSON writes as null (NaN, ±Infinity). */
export const TAG_NULL = 0;
export const TAG_FALSE = 1;
export const TAG_TRUE = 2;
/** A number that is an int32 (−0 included: JSON writes it as 0), as 4 bytes. */
export const TAG_INT32 = 3;
/** Any other finite number, as 8 bytes. */
export const TAG_FLOAT64 = 4;
/** A string of the channel's dictionary: its id, 4 bytes. */
export const TAG_STRING_REF = 5;
/** A string the dictionary learns now: the next side string, whose id is the dictionary's size. */
export const TAG_STRING_NEW = 6;
/** A string sent once (the dictionary is full, or the string too long): the next side string. */
export const TAG_STRING_INLINE = 7;
/** Anything else (nested values, arrays, non-plain objects): the next side string is its JSON text. */
export const TAG_JSON = 8;
/** A flat object of a known shape (its field names, in order): shape id 4 bytes, then one value per field. */
export const TAG_OBJECT = 9;
/** A flat object of a new shape: field count 2 bytes, field names as side strings, then its values. */
export const TAG_OBJECT_NEW_SHAPE = 10;

/** Strings the dictionary of one channel direction learns at most; later new strings go inline. */
export const MAX_DICTIONARY_STRINGS = 1 << 20;
/** Longer strings go inline: a dictionary is for keys and names, not for payloads. */
export const MAX_DICTIONARY_STRING_LENGTH = 256;
/** Shapes one channel direction learns at most; records of further shapes go as JSON. */
export const MAX_SHAPES = 4096;
/** Objects with more fields go as JSON. */
export const MAX_SHAPE_FIELDS = 64;
