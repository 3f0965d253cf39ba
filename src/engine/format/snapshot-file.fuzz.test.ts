// Thousands of corrupted snapshot files: random byte flips, truncations, entry removals, `_metadata` and
// entry mutations with checksums fixed up. Decode never throws, never fails internally, and returns either a
// clean error or the identical file (flips in bytes zip does not check), or a file it can write back as is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotFile } from './decode-snapshot-file';
import { encodeSnapshotFile } from './encode-snapshot-file';
import { isIncremental, realCheckpoints } from '../../runtime/sim/real-checkpoints.fixture';
import type { SnapshotFile, SnapshotFileResult } from './snapshot-file';
import { EXAMPLE_SNAPSHOT } from './snapshot-format-example.fixture';
import { metadataOf, operate } from './snapshot-file-surgery.fixture';
import { METADATA_ENTRY } from './entry-name';
import { holdsChannelState, unalignedCheckpoints } from './unaligned-checkpoints.fixture';

const SEED = 20_261_127;
const RUNS = 1_000;

const incremental = realCheckpoints({ untilMs: 1_000, keys: 12, configuration: { 'execution.checkpointing.incremental': true } }).snapshots.filter((s) => isIncremental(s.metadata)).at(-1)!;
// A real unaligned checkpoint (format version 2) with input and output channel state, kept small.
const unaligned = unalignedCheckpoints({ untilMs: 500 }).snapshots.filter((s) => holdsChannelState(s.metadata)).at(-1)!;
const FILES = { example: encodeSnapshotFile(EXAMPLE_SNAPSHOT), incremental: encodeSnapshotFile(incremental), unaligned: encodeSnapshotFile(unaligned) };
const REFERENCE = { example: decodeOk(FILES.example), incremental: decodeOk(FILES.incremental), unaligned: decodeOk(FILES.unaligned) };
const which = fc.constantFrom<keyof typeof FILES>('example', 'incremental', 'unaligned');

function decodeOk(bytes: Uint8Array): SnapshotFile {
  const result = decodeSnapshotFile(bytes);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Never an internal failure; an error is one line that starts with where it is. */
function expectClean(result: SnapshotFileResult): void {
  if (result.ok) return;
  expect(result.error.kind, result.error.message).not.toBe('internal');
  expect(result.error.message).not.toMatch(/[\r\n]/);
  expect(result.error.message.startsWith(result.error.where)).toBe(true);
}

/** What a restore uses, and what an export of the decoded file writes back. */
function restorable(file: SnapshotFile) {
  return { metadata: file.metadata, blobs: file.blobs, job: file.job, properties: file.properties, checkpointType: file.checkpointType };
}

/** An accepted mutant must be a file the encoder writes back to the same thing. */
function expectSelfConsistent(file: SnapshotFile): void {
  const written = decodeSnapshotFile(encodeSnapshotFile(file));
  expect(written.ok).toBe(true);
  if (written.ok) expect(restorable(written.value)).toEqual(restorable(file));
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(-1, 1.5, 2 ** 53, 2 ** 60, Number.MAX_VALUE, '', 'x'.repeat(2_000), null, [], {}, '0'.repeat(32), 'CHECKPOINT', 'SAVEPOINT'),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}') as unknown),
  fc.constant(JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) as unknown),
);

type Node = { parent: Record<string, unknown> | unknown[]; key: string | number };

function nodesOf(value: unknown, parent: Node['parent'] | null = null, key: Node['key'] = '', out: Node[] = []): Node[] {
  if (parent) out.push({ parent, key });
  if (value !== null && typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) nodesOf(child, value as Node['parent'], Array.isArray(value) ? Number(childKey) : childKey, out);
  }
  return out;
}

const jsonMutation = fc.record({ node: fc.nat(), kind: fc.constantFrom('replace', 'delete', 'duplicate', 'add-key'), value: hostileValue, key: fc.constantFrom('__proto__', 'constructor', 'extra', 'name') });

function mutate(document: Record<string, unknown>, mutation: { node: number; kind: string; value: unknown; key: string }): void {
  const nodes = nodesOf(document);
  const { parent, key } = nodes[mutation.node % nodes.length]!;
  const record = parent as Record<string | number, unknown>;
  if (mutation.kind === 'replace') record[key] = structuredClone(mutation.value);
  else if (mutation.kind === 'delete' && Array.isArray(parent)) parent.splice(key as number, 1);
  else if (mutation.kind === 'delete') delete record[key];
  else if (mutation.kind === 'duplicate' && Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
  else if (mutation.kind === 'add-key' && record[key] !== null && typeof record[key] === 'object' && !Array.isArray(record[key])) {
    Object.defineProperty(record[key], mutation.key, { value: structuredClone(mutation.value), enumerable: true, writable: true, configurable: true });
  }
}

describe(`decoding corrupted snapshot files (seed ${SEED})`, () => {
  it('returns a clean error or the identical file after random byte flips', () => {
    const flips = fc.array(fc.record({ at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(which, flips, (name, changes) => {
        const bytes = FILES[name].slice();
        for (const { at, mask } of changes) bytes[at % bytes.length]! ^= mask;
        const result = decodeSnapshotFile(bytes);
        expectClean(result);
        if (result.ok) expect(result.value).toEqual(REFERENCE[name]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('returns a clean error for every truncation', () => {
    fc.assert(
      fc.property(which, fc.nat(), (name, cut) => {
        const bytes = FILES[name];
        const result = decodeSnapshotFile(bytes.subarray(0, cut % bytes.length));
        expectClean(result);
        expect(result.ok).toBe(false);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('returns a clean error when entries are removed', () => {
    const names = { example: REFERENCE.example.entries.map((e) => e.name), incremental: REFERENCE.incremental.entries.map((e) => e.name), unaligned: REFERENCE.unaligned.entries.map((e) => e.name) };
    fc.assert(
      fc.property(which, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.boolean(), (name, picks, fixReferences) => {
        const removed = new Set(picks.map((pick) => names[name][pick % names[name].length]!));
        const result = removed.has(METADATA_ENTRY)
          ? decodeSnapshotFile(operate(FILES[name], { entries: (entries) => entries, metadataText: '' }))
          : decodeSnapshotFile(operate(FILES[name], { fixReferences, entries: (entries) => entries.filter((entry) => !removed.has(entry.name)) }));
        expectClean(result);
        expect(result.ok).toBe(false);
      }),
      { seed: SEED, numRuns: RUNS / 4 },
    );
  });

  it('returns a clean error or a file it writes back as is after _metadata mutations', () => {
    fc.assert(
      fc.property(which, fc.array(jsonMutation, { minLength: 1, maxLength: 3 }), (name, mutations) => {
        const mutated = operate(FILES[name], { metadata: (document) => void mutations.forEach((mutation) => mutate(document, mutation)) });
        const result = decodeSnapshotFile(mutated);
        expectClean(result);
        if (result.ok) expectSelfConsistent(result.value);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('returns a clean error or a file it writes back as is after state entry mutations with checksums fixed', () => {
    const change = fc.record({ entry: fc.nat(), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }), kind: fc.constantFrom('overwrite', 'insert', 'truncate') });
    fc.assert(
      fc.property(which, change, (name, { entry, at, bytes, kind }) => {
        const mutated = operate(FILES[name], {
          entries: (entries) =>
            entries.map((candidate, index) => {
              if (index !== entry % entries.length) return candidate;
              const data = candidate.data;
              const offset = data.length === 0 ? 0 : at % data.length;
              if (kind === 'truncate') return { ...candidate, data: data.slice(0, offset) };
              const next = kind === 'insert' ? new Uint8Array([...data.slice(0, offset), ...bytes, ...data.slice(offset)]) : data.slice();
              if (kind === 'overwrite') next.set(bytes.slice(0, Math.max(0, next.length - offset)), offset);
              return { ...candidate, data: next };
            }),
        });
        const result = decodeSnapshotFile(mutated);
        expectClean(result);
        if (result.ok) expectSelfConsistent(result.value);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('returns a clean error for random bytes, with or without a zip signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, signed) => {
        const input = signed ? new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...bytes]) : bytes;
        const result = decodeSnapshotFile(input);
        expectClean(result);
        expect(result.ok).toBe(false);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('keeps the reference files valid (the fuzzing starts from good files)', () => {
    expect(metadataOf(FILES.incremental)['checkpointType']).toBe('CHECKPOINT');
    expect(REFERENCE.incremental.entries.some((entry) => entry.name.startsWith('shared/'))).toBe(true);
    expect(REFERENCE.unaligned.formatVersion).toBe(2);
    const channelState = REFERENCE.unaligned.document.operators.flatMap((operator) => operator.subtaskStates.flatMap((state) => (state.channelState ? [state.channelState] : [])));
    expect(channelState.some((state) => state.inputChannelState.length > 0) && channelState.some((state) => state.resultSubpartitionState.length > 0)).toBe(true);
  });
});
