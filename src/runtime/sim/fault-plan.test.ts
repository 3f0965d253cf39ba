// Fault specs as a user writes them: read with clear errors, every number bounded, and whatever is
// accepted prints back (formatFault) as a spec that reads to the same fault (fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FAULT_LIMITS, formatFault, parseFault, type Fault } from './fault-plan';

const PROPERTY_SEED = 20261201;

describe('parseFault', () => {
  it.each<readonly [string, Fault]>([
    ['kill:sum#1@1200', { kind: 'kill', uid: 'sum', subtask: 1, atMs: 1200 }],
    ['kill-after:numbers#0@120', { kind: 'kill-after', uid: 'numbers', subtask: 0, records: 120 }],
    ['fail-snapshot:sum#0@2', { kind: 'fail-snapshot', uid: 'sum', subtask: 0, checkpointId: 2 }],
    ['delay-channel:sink#1@1000+20', { kind: 'delay-channel', uid: 'sink', subtask: 1, atMs: 1000, latencyMs: 20 }],
    ['slow-task:sum#1@600x2.5', { kind: 'slow-task', uid: 'sum', subtask: 1, atMs: 600, factor: 2.5 }],
  ])('reads %s', (spec, fault) => {
    expect(parseFault(spec)).toEqual(fault);
    expect(formatFault(fault)).toBe(spec);
  });

  it('accepts the largest safe integer as a time and prints it digit for digit', () => {
    const spec = `kill:sum#0@${Number.MAX_SAFE_INTEGER}`;
    expect(formatFault(parseFault(spec))).toBe(spec);
  });

  it.each([
    ['a time beyond the safe integers', 'kill:sum#0@99999999999999999999999', /<ms> must be a whole number from 0 to 9007199254740991, got 99999999999999999999999/],
    ['a time one past the safe integers', 'kill:sum#0@9007199254740992', /<ms> must be a whole number from 0 to 9007199254740991/],
    ['a record count beyond the safe integers', 'kill-after:sum#0@1' + '0'.repeat(20), /<records> must be a whole number from 0 to 9007199254740991/],
    ['a checkpoint id beyond the safe integers', 'fail-snapshot:sum#0@' + '9'.repeat(17), /<checkpoint-id> must be a whole number from 1 to 9007199254740991/],
    ['a subtask at Flink\'s max parallelism bound', 'kill:sum#32768@10', /<subtask> must be a whole number from 0 to 32767, got 32768/],
    ['a latency over an hour', 'delay-channel:sum#0@10+3600001', /<latency-ms> must be a whole number from 0 to 3600000/],
    ['a fractional latency', 'delay-channel:sum#0@10+2.5', /latency must be a whole number of milliseconds/],
    ['a factor below 1', 'slow-task:sum#0@10x0.5', /factor ≥ 1/],
    ['a factor over a billion', 'slow-task:sum#0@10x1000000001', /<factor> must be from 1 to 1000000000, got 1000000001/],
    ['a factor of 400 digits', `slow-task:sum#0@10x${'9'.repeat(400)}`, /<factor> must be from 1 to 1000000000/],
    ['checkpoint 0', 'fail-snapshot:sum#0@0', /checkpoint ids start at 1/],
  ])('refuses %s and says what is allowed', (_name, spec, message) => {
    expect(() => parseFault(spec)).toThrow(message);
  });
});

/** Digit strings of every size around the bounds, leading zeros included; mostly small ones. */
const digits = fc.oneof(
  { arbitrary: fc.nat({ max: 40_000 }).map(String), weight: 4 },
  { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String), weight: 1 },
  { arbitrary: fc.constantFrom('0', '00', '007', '32767', '32768', '3600000', '3600001', '1000000000', '9007199254740991', '9007199254740992'), weight: 1 },
);
const decimal = fc.oneof(
  { arbitrary: digits, weight: 3 },
  { arbitrary: fc.tuple(digits, digits).map(([whole, fraction]) => `${whole}.${fraction}`), weight: 1 },
);
/** The `+latency` / `xfactor` part: usually the one the kind takes (none for most), sometimes another. */
const extraFor = (kind: string) =>
  fc.oneof(
    { arbitrary: kind === 'delay-channel' || kind === 'slow-task' ? decimal.map((number) => `${kind === 'delay-channel' ? '+' : 'x'}${number}`) : fc.constant(''), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom('', '+', 'x'), decimal).map(([operator, number]) => (operator === '' ? '' : `${operator}${number}`)), weight: 1 },
  );
const spec = fc
  .constantFrom('kill', 'kill-after', 'fail-snapshot', 'delay-channel', 'slow-task')
  .chain((kind) =>
    fc.tuple(fc.constantFrom('sum', 'numbers', 'a.b-c_1'), digits, digits, extraFor(kind)).map(([uid, subtask, at, rest]) => `${kind}:${uid}#${subtask}@${at}${rest}`),
  );

describe(`fault specs read back (fast-check seed ${PROPERTY_SEED})`, () => {
  it('prints every accepted spec as one that reads to the same fault, and refuses the rest with a message', () => {
    fc.assert(
      fc.property(spec, (text) => {
        let fault: Fault;
        try {
          fault = parseFault(text);
        } catch (error) {
          expect((error as Error).message).toMatch(/^(Cannot read fault|Fault) '/);
          return;
        }
        const printed = formatFault(fault);
        expect(parseFault(printed), `${text} printed as ${printed}`).toEqual(fault);
        expect(formatFault(parseFault(printed))).toBe(printed);
      }),
      { seed: PROPERTY_SEED, numRuns: 2000 },
    );
  });

  it('accepts every fault within the limits', () => {
    const target = { uid: fc.constantFrom('sum', 'sink'), subtask: fc.integer({ min: 0, max: FAULT_LIMITS.maxSubtask }) };
    const time = fc.integer({ min: 0, max: FAULT_LIMITS.maxCount });
    const fault: fc.Arbitrary<Fault> = fc.oneof(
      fc.record({ kind: fc.constant('kill' as const), ...target, atMs: time }),
      fc.record({ kind: fc.constant('kill-after' as const), ...target, records: time }),
      fc.record({ kind: fc.constant('fail-snapshot' as const), ...target, checkpointId: fc.integer({ min: 1, max: FAULT_LIMITS.maxCount }) }),
      fc.record({ kind: fc.constant('delay-channel' as const), ...target, atMs: time, latencyMs: fc.integer({ min: 0, max: FAULT_LIMITS.maxLatencyMs }) }),
      fc.record({ kind: fc.constant('slow-task' as const), ...target, atMs: time, factor: fc.double({ min: 1, max: FAULT_LIMITS.maxFactor, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fault, (original) => {
        expect(parseFault(formatFault(original))).toEqual(original);
      }),
      { seed: PROPERTY_SEED + 1, numRuns: 1000 },
    );
  });
});
