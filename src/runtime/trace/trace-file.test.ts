// The trace loader against real traces (the CLI's events.jsonl) and hostile ones: every refusal is one
// line naming the line number and the field; nothing throws, nothing reaches a prototype.
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { formatEventsJsonl } from './events-jsonl';
import { MAX_LINE_CHARS, parseTraceText } from './trace-file';
import { readTrace } from './read-trace';

const SAMPLE = readFileSync(new URL('../../../public/samples/traces/running-sum.events.jsonl', import.meta.url), 'utf8');
const lines = SAMPLE.trimEnd().split('\n');

function refusal(text: string): string {
  const parsed = parseTraceText(text);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.message;
}

describe('parseTraceText', () => {
  it('reads the sample trace the CLI wrote, and writes it back byte for byte', () => {
    const parsed = parseTraceText(SAMPLE);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formatEventsJsonl(parsed.events)).toBe(SAMPLE);
  });

  it('names the line and the field of a wrong value', () => {
    const broken = [...lines];
    broken[4] = broken[4]!.replace(/"attempt":0/, '"attempt":"zero"');
    expect(refusal(broken.join('\n'))).toMatch(/^line 5: attempt: Invalid type: Expected number/);
  });

  it('names a nested field by its path', () => {
    const broken = [...lines];
    broken[0] = broken[0]!.replace('"parallelism":2', '"parallelism":-2');
    expect(refusal(broken.join('\n'))).toMatch(/^line 1: vertices\[0\]\.parallelism: /);
  });

  it('refuses an unknown event type, a missing type and a line that is not an object', () => {
    expect(refusal('{"type":"barrier-eaten","time":1}')).toMatch(/^line 1: type: "barrier-eaten" is not an event type/);
    expect(refusal('{"time":1}')).toBe('line 1: type: missing, or not a string');
    expect(refusal(`${lines[0]}\n[1,2]`)).toBe('line 2: not a JSON object (each line of events.jsonl is one event)');
  });

  it('refuses a truncated line with the JSON error', () => {
    expect(refusal(`${lines[0]}\n${lines[1]!.slice(0, 30)}\n`)).toMatch(/^line 2: not JSON/);
  });

  it('refuses __proto__ and constructor keys without touching a prototype', () => {
    const message = refusal(`{"type":"fault-injected","time":0,"fault":"x","__proto__":{"polluted":true}}`);
    expect(message).toBe('line 1: the key "__proto__" is not allowed');
    expect(refusal(`{"type":"sink-written","time":0,"taskId":"s#0","attempt":0,"written":[{"constructor":1}]}`)).toBe('line 1: written[0]: the key "constructor" is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses numbers too large for a float, deep nesting, long lines and an empty file', () => {
    expect(refusal('{"type":"fault-injected","time":1e999,"fault":"x"}')).toBe('line 1: time: a number too large for a 64-bit float');
    expect(refusal(`{"type":"fault-injected","time":0,"fault":${'['.repeat(5000)}${']'.repeat(5000)}}`)).toMatch(/^line 1: JSON nested 5001 levels deep/);
    expect(refusal(`${lines[0]}\n{"type":"fault-injected","time":0,"fault":"${'x'.repeat(10 * 1024 * 1024)}"}`)).toMatch(/^line 2: 10\.0 MB, more than the 1\.0 MB/);
    expect(refusal('\n\n')).toMatch(/holds no events/);
  });
});

describe('the trace loader under fuzzing (seeded)', () => {
  const valid = fc.constantFrom(...lines.slice(0, 60));
  const hostile = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 4 }),
    valid.map((line) => line.slice(0, Math.floor(line.length / 2))),
    valid.map((line) => line.replace(/"time":\d+/, '"time":1e400')),
    valid.map((line) => line.replace(/^\{/, '{"__proto__":{"x":1},')),
    fc.integer({ min: 1, max: 3000 }).map((depth) => `{"type":"fault-injected","time":0,"fault":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
    valid.map((line) => line.replace(/:(\d+)/, ':"$1"')),
  );

  it('seed 20240531: a clear one-line message each time, never a throw', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(valid, hostile), { minLength: 1, maxLength: 20 }), (trace) => {
        const read = readTrace(trace.join('\n'), 'fuzz.jsonl');
        if (!read.ok) {
          expect(read.message).toMatch(/^fuzz\.jsonl/);
          expect(read.message).not.toMatch(/[\r\n]/);
          expect(read.message.length).toBeLessThan(1000);
        }
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      { seed: 20240531, numRuns: 300 },
    );
  });

  it('refuses a line one character over the limit', () => {
    expect(refusal(`{"type":"fault-injected","time":0,"fault":"${'x'.repeat(MAX_LINE_CHARS)}"}`)).toMatch(/^line 1: /);
  });
});
