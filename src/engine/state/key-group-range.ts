// KeyGroupRange: an inclusive range of key groups [start, end], Flink's unit of keyed-state ownership.
// Immutable; start > end never exists except as EMPTY ({0, -1}), as in Flink's KeyGroupRange.java.

export class KeyGroupRange implements Iterable<number> {
  static readonly EMPTY: KeyGroupRange = new KeyGroupRange(0, -1);

  readonly startKeyGroup: number;
  readonly endKeyGroup: number;

  /** A range of key groups; (0, -1) is the one empty range allowed (EMPTY). */
  constructor(startKeyGroup: number, endKeyGroup: number) {
    if (!(startKeyGroup === 0 && endKeyGroup === -1)) {
      if (!Number.isInteger(startKeyGroup) || !Number.isInteger(endKeyGroup)) {
        throw new RangeError(`Key groups must be integers, got [${startKeyGroup}, ${endKeyGroup}]`);
      }
      if (startKeyGroup < 0) throw new RangeError(`Start key group must not be negative, got ${startKeyGroup}`);
      if (startKeyGroup > endKeyGroup) {
        throw new RangeError(`Start key group ${startKeyGroup} is after end key group ${endKeyGroup}`);
      }
    }
    this.startKeyGroup = startKeyGroup;
    this.endKeyGroup = endKeyGroup;
  }

  /** KeyGroupRange.of: the range, or EMPTY when start > end. */
  static of(startKeyGroup: number, endKeyGroup: number): KeyGroupRange {
    return startKeyGroup <= endKeyGroup ? new KeyGroupRange(startKeyGroup, endKeyGroup) : KeyGroupRange.EMPTY;
  }

  static fromJson(json: { readonly start: number; readonly end: number }): KeyGroupRange {
    return KeyGroupRange.of(json.start, json.end);
  }

  contains(keyGroup: number): boolean {
    return keyGroup >= this.startKeyGroup && keyGroup <= this.endKeyGroup;
  }

  /** The number of key groups in the range (Flink's getNumberOfKeyGroups). */
  get size(): number {
    return 1 + this.endKeyGroup - this.startKeyGroup;
  }

  isEmpty(): boolean {
    return this.size === 0;
  }

  /** The key groups both ranges hold, or EMPTY. */
  intersection(other: KeyGroupRange): KeyGroupRange {
    return KeyGroupRange.of(
      Math.max(this.startKeyGroup, other.startKeyGroup),
      Math.min(this.endKeyGroup, other.endKeyGroup),
    );
  }

  equals(other: KeyGroupRange): boolean {
    return this.startKeyGroup === other.startKeyGroup && this.endKeyGroup === other.endKeyGroup;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let keyGroup = this.startKeyGroup; keyGroup <= this.endKeyGroup; keyGroup++) yield keyGroup;
  }

  toJson(): { start: number; end: number } {
    return { start: this.startKeyGroup, end: this.endKeyGroup };
  }

  toString(): string {
    return `KeyGroupRange{startKeyGroup=${this.startKeyGroup}, endKeyGroup=${this.endKeyGroup}}`;
  }
}
