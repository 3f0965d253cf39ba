// Malformed, truncated and hostile files for the loader: random JSON, cut-off sample files, samples with a
// random field replaced, `__proto__` keys, deep nesting, huge numbers. Always a one-line reason or a
// recognised file, never a throw, never an internal failure, never a polluted prototype.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointsBundle } from './checkpoints-bundle';
import type { CheckpointsSource } from './checkpoints-source';
import { loadCheckpointFiles, type CheckpointFile, type CheckpointsLoad } from './flink-rest-loader';
import { sampleFiles } from './flink-rest-samples.fixture';

const SEED = 20_260_611;
const RUNS = 200;
const SAMPLES = sampleFiles();
const sample = fc.constantFrom(...SAMPLES);

/** Every report says what the file was or why not, on one line; the source (if any) answers every question. */
function expectClean(load: CheckpointsLoad, files: readonly CheckpointFile[]): void {
  expect(load.files).toHaveLength(files.length);
  for (const report of load.files) {
    expect(report.recognisedAs !== null || report.refused !== null, report.name).toBe(true);
    if (report.refused !== null) {
      expect(report.refused).not.toMatch(/^could not be read/);
      expect(report.refused).not.toMatch(/[\r\n]/);
      expect(report.refused.length).toBeLessThan(2_000);
    }
  }
  if (load.source) askEverything(load.source);
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}

function askEverything(source: CheckpointsSource): void {
  const overview = source.overview();
  source.config();
  for (const entry of overview.history) {
    source.details(entry.id);
    for (const vertex of source.vertices()) source.subtaskDetails(entry.id, vertex.id);
  }
  JSON.stringify(checkpointsBundle(source));
}

/** A path into a JSON value, and the value with something else there. */
function replaceAt(value: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[choices[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...value };
  copy[key] = replaceAt((value as Record<string, unknown>)[key], choices.slice(1), replacement);
  return copy;
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e308, -1e308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, -1, 0.5, '', 'NaN', null, true, [], {}),
  fc.string({ maxLength: 50 }),
);

const runs = (seed: number) => ({ seed, numRuns: RUNS });

describe(`the loader under hostile files (seed ${SEED})`, () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)['polluted'];
  });

  it('reads random JSON and random text cleanly', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 200 })), { minLength: 1, maxLength: 4 }), (texts) => {
        const files = texts.map((text, index) => ({ name: `f${index}.json`, text }));
        expectClean(loadCheckpointFiles(files), files);
      }),
      runs(SEED),
    );
  });

  it('reads sample files cut off anywhere', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0, max: 1, noNaN: true }), (file, at) => {
        const files = [{ name: file.name, text: file.text.slice(0, Math.floor(file.text.length * at)) }];
        expectClean(loadCheckpointFiles(files), files);
      }),
      runs(SEED + 1),
    );
  });

  it('reads sample files with any field replaced by a wrong type, a huge number or a stray value', () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), hostileValue, (files, path, replacement) => {
        const [first, ...rest] = files;
        const mutated = [{ name: first!.name, text: JSON.stringify(replaceAt(JSON.parse(first!.text), path, replacement)) }, ...rest];
        expectClean(loadCheckpointFiles(mutated), mutated);
      }),
      runs(SEED + 2),
    );
  });

  it('refuses __proto__, constructor and prototype keys wherever they are', () => {
    fc.assert(
      fc.property(sample, fc.array(fc.nat(), { maxLength: 5 }), fc.constantFrom('__proto__', 'constructor', 'prototype'), (file, path, key) => {
        const placed = JSON.stringify(replaceAt(JSON.parse(file.text), path, '__HOSTILE__'));
        const files = [{ name: file.name, text: placed.replace('"__HOSTILE__"', `{"${key}":{"polluted":true}}`) }];
        const load = loadCheckpointFiles(files);
        expectClean(load, files);
        expect(load.files[0]!.refused).toMatch(new RegExp(`the key "${key}" is not allowed`));
      }),
      runs(SEED + 3),
    );
  });

  it('refuses deep nesting and huge numbers with a reason', () => {
    fc.assert(
      fc.property(fc.integer({ min: 17, max: 50_000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
        const close = open === '[' ? ']' : '}';
        const files = [{ name: 'deep.json', text: `{"counts":${open.repeat(depth)}1${close.repeat(depth)}}` }];
        const load = loadCheckpointFiles(files);
        expectClean(load, files);
        expect(load.files[0]!.refused).toMatch(/^JSON nested \d+ levels deep, more than the 16 allowed$/);
      }),
      runs(SEED + 4),
    );
    const huge = [{ name: 'huge.json', text: SAMPLES.find((file) => file.name === 'checkpoints.json')!.text.replace(/"id": \d+/, '"id": 1' + '0'.repeat(400)) }];
    expectClean(loadCheckpointFiles(huge), huge);
    expect(loadCheckpointFiles(huge).files[0]!.refused).toMatch(/a number too large for a 64-bit float$/);
  });

  it('refuses a 10 MB string, and a 1 MB failure message inside an otherwise good file', () => {
    const tenMegabytes = [{ name: 'big.json', text: JSON.stringify({ counts: 'x'.repeat(10 * 1024 * 1024) }) }];
    expect(loadCheckpointFiles(tenMegabytes).files[0]!.refused).toMatch(/MB, more than the 8\.0 MB/);
    const details = JSON.parse(SAMPLES.find((file) => file.name === 'checkpoints-details-2.json')!.text) as Record<string, unknown>;
    const longMessage = [{ name: 'd.json', text: JSON.stringify({ ...details, failure_message: 'y'.repeat(1024 * 1024) }) }];
    const load = loadCheckpointFiles(longMessage);
    expectClean(load, longMessage);
    expect(load.files[0]!.refused).toMatch(/^as GET .*: failure_message: Invalid length: Expected <=65536 but received 1048576$/);
  });
});
