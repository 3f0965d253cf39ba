import { describe, expect, it } from 'vitest';
import { prepareScenarioJob, type ScenarioJobOptions } from '../../runtime/sim/scenario-job';
import { flinkConfigYaml, flinkJavaProgram } from './flink-program';

const BASE: ScenarioJobOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 1000, mode: 'exactly-once', keys: 8, recordsPerSecond: 10 };
const job = (options: Partial<ScenarioJobOptions>) => prepareScenarioJob({ ...BASE, ...options });

/** The YAML's entries as a map (comment lines and blank lines skipped). */
function entries(yaml: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of yaml.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const colon = line.indexOf(': ');
    map.set(line.slice(0, colon), line.slice(colon + 2));
  }
  return map;
}

describe('the Java program', () => {
  const cases: Array<[string, string[], string]> = [
    ['running-sum', ['"numbers"', '"sum"', '"sink"'], 'new ValueStateDescriptor<>("sum", Types.LONG)'],
    ['keyed-sum', ['"counts"', '"count"', '"discard"'], 'new ValueStateDescriptor<>("count", Types.LONG)'],
    ['order-totals', ['"orders-eu"', '"orders-us"', '"totals"', '"sink"'], 'new AggregatingStateDescriptor<>("totals", new TotalsFunction(), Totals.class)'],
  ];
  it.each(cases)("gives %s's operators their uids and its keyed state its name", (scenario, uids, state) => {
    const java = flinkJavaProgram(job({ scenario }));
    for (const uid of uids) expect(java).toContain(`.uid(${uid})`);
    expect(java).toContain(state);
    expect(java).toMatch(/public class \w+Job \{/);
    expect(java).toContain('public static void main(String[] args) throws Exception {');
    expect(java).toContain('.keyBy(record -> record.key)');
  });

  it("names the keyed operator and the sink as the job graph does (Flink's own name when the scenario sets none)", () => {
    expect(flinkJavaProgram(job({}))).toMatch(/\.uid\("sum"\)\n\s+\.name\("Running sum"\)\n\s+\.sinkTo\(sink\)\n\s+\.uid\("sink"\)\n\s+\.name\("sums"\)/);
    expect(flinkJavaProgram(job({ scenario: 'keyed-sum' }))).toContain('.name("KeyedProcess")');
  });

  it('sets the parallelism, the max parallelism, the interval and the mode the job runs with', () => {
    const java = flinkJavaProgram(job({ parallelism: 3, maxParallelism: 64, checkpointIntervalMs: 250, mode: 'at-least-once' }));
    expect(java).toContain('env.setParallelism(3);');
    expect(java).toContain('env.setMaxParallelism(64);');
    expect(java).toContain('env.enableCheckpointing(250, CheckpointingMode.AT_LEAST_ONCE);');
    expect(java).toContain('import org.apache.flink.core.execution.CheckpointingMode;');
  });

  it('says checkpointing is off, and enables none, when the job has no interval', () => {
    const java = flinkJavaProgram(job({ checkpointIntervalMs: 0 }));
    expect(java).not.toContain('enableCheckpointing');
    expect(java).not.toContain('CheckpointingMode');
    expect(java).toContain('Checkpointing is off');
  });

  it('writes through a two-phase-commit sink under exactly-once and an appending one under at-least-once', () => {
    const exactlyOnce = flinkJavaProgram(job({ mode: 'exactly-once' }));
    expect(exactlyOnce).toContain('FileSink<KeyedNumber> sink = FileSink');
    expect(exactlyOnce).not.toContain('PrintSink');
    const atLeastOnce = flinkJavaProgram(job({ mode: 'at-least-once' }));
    expect(atLeastOnce).toContain('PrintSink<KeyedNumber> sink = new PrintSink<>("sums");');
    expect(atLeastOnce).not.toContain('FileSink');
    expect(flinkJavaProgram(job({ scenario: 'keyed-sum', mode: 'exactly-once' }))).toContain('DiscardingSink<Void> sink = new DiscardingSink<>();');
  });

  it('generates forever for an unbounded run and the bounded record count otherwise, at the rate of all source subtasks', () => {
    expect(flinkJavaProgram(job({ unbounded: true }))).toContain('Long.MAX_VALUE,');
    const bounded = flinkJavaProgram(job({ keys: 40, parallelism: 4, recordsPerSecond: 25 }));
    expect(bounded).toContain('40L * 5,');
    expect(bounded).toContain('RateLimiterStrategy.perSecond(25 * 4)');
  });

  it('unions the two order sources before keying them', () => {
    expect(flinkJavaProgram(job({ scenario: 'order-totals' }))).toMatch(/DataStream<Order> orders = env\.fromSource\(ordersEuSource[^;]*\.union\(env\.fromSource\(ordersUsSource/);
  });

  it('balances its braces and parentheses', () => {
    for (const scenario of ['running-sum', 'keyed-sum', 'order-totals']) {
      const java = flinkJavaProgram(job({ scenario })).replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/gm, '');
      expect(java.split('{').length, scenario).toBe(java.split('}').length);
      expect(java.split('(').length, scenario).toBe(java.split(')').length);
    }
  });

  it('is, for the default running-sum job, exactly this program', () => {
    expect(flinkJavaProgram(job({}))).toBe(RUNNING_SUM_JAVA);
  });
});

describe('the config.yaml entries', () => {
  it("hold the configuration in force under Flink's keys and value formats", () => {
    const yaml = entries(flinkConfigYaml(job({ parallelism: 3, checkpointIntervalMs: 1500, mode: 'at-least-once', configuration: { 'execution.checkpointing.timeout': '2 min' } })));
    expect(yaml.get('parallelism.default')).toBe('3');
    expect(yaml.get('pipeline.max-parallelism')).toBe('128');
    expect(yaml.get('execution.checkpointing.interval')).toBe('1500 ms');
    expect(yaml.get('execution.checkpointing.mode')).toBe('AT_LEAST_ONCE');
    expect(yaml.get('execution.checkpointing.timeout')).toBe('2 min');
    expect(yaml.get('state.backend.type')).toBe('hashmap');
    expect(yaml.get('execution.checkpointing.incremental')).toBe('false');
  });

  it('leaves the interval out when checkpointing is off, and says so', () => {
    const text = flinkConfigYaml(job({ checkpointIntervalMs: 0 }));
    expect(entries(text).has('execution.checkpointing.interval')).toBe(false);
    expect(text).toContain('# execution.checkpointing.interval is not set: checkpointing is off');
  });

  it("maps the indexeddb backend to rocksdb with a comment, and keeps Barrierscope's own option out of the entries", () => {
    const text = flinkConfigYaml(job({ configuration: { 'state.backend.type': 'indexeddb', 'execution.checkpointing.incremental': 'true' } }));
    expect(entries(text).get('state.backend.type')).toBe('rocksdb');
    expect(text).toMatch(/# Barrierscope's 'indexeddb' backend stands for RocksDB.*\nstate\.backend\.type: rocksdb/);
    expect(entries(text).get('execution.checkpointing.incremental')).toBe('true');
    expect(entries(text).has('state.backend.indexeddb.cache.key-groups')).toBe(false);
    expect(text).toContain('# Not a Flink option: state.backend.indexeddb.cache.key-groups');
  });

  it('writes the restart strategy in force with its own parameters only', () => {
    const yaml = entries(flinkConfigYaml(job({ configuration: { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 3, 'restart-strategy.fixed-delay.delay': '2 s' } })));
    expect(yaml.get('restart-strategy.type')).toBe('fixed-delay');
    expect(yaml.get('restart-strategy.fixed-delay.attempts')).toBe('3');
    expect(yaml.get('restart-strategy.fixed-delay.delay')).toBe('2 s');
    expect([...yaml.keys()].some((name) => name.startsWith('restart-strategy.exponential-delay.'))).toBe(false);
  });

  it('notes that the hashmap backend ignores incremental checkpoints', () => {
    expect(flinkConfigYaml(job({ configuration: { 'execution.checkpointing.incremental': true } }))).toContain('# The hashmap backend ignores this');
  });
});

/** Read line by line: the program for running-sum at parallelism 2, a 1 s interval, exactly-once, 8 keys at 10/s. */
const RUNNING_SUM_JAVA = `// Barrierscope's "running-sum" job as a Flink DataStream program (Flink 1.20 / 2.x).
// Dependencies: flink-streaming-java, flink-connector-datagen, flink-connector-files.
// Options not set in code are in config.yaml; options set in code take precedence over it.

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

public class RunningSumJob {

    public static class KeyedNumber {
        public String key;
        public long value;

        public KeyedNumber() {}

        public KeyedNumber(String key, long value) {
            this.key = key; this.value = value;
        }

        @Override
        public String toString() {
            return key + "," + value;
        }
    }

    /** Keyed running sum: ValueState "sum" per key; emits the new sum for every record (1,2,3,4,5 → 1,3,6,10,15). */
    public static class RunningSum extends KeyedProcessFunction<String, KeyedNumber, KeyedNumber> {
        private transient ValueState<Long> sum;

        @Override
        public void open(OpenContext openContext) {
            sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Types.LONG));
        }

        @Override
        public void processElement(KeyedNumber input, Context context, Collector<KeyedNumber> out) throws Exception {
            Long current = sum.value();
            long next = (current == null ? 0L : current) + input.value;
            sum.update(next);
            out.collect(new KeyedNumber(input.key, next));
        }
    }

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.setMaxParallelism(128); // 128 key groups
        env.enableCheckpointing(1000, CheckpointingMode.EXACTLY_ONCE); // every 1000 ms

        // Barrierscope's "numbers" topic (4 partitions, 8 keys): key-i gets 1, 2, 3, 4, 5.
        // Here one key's records are consecutive indices; a key whose records straddle two source subtasks'
        // ranges may reach the sum out of order (the final sum is still 15). Read a Kafka topic partitioned
        // by key (KafkaSource) to keep each key's order as the topic does.
        DataGeneratorSource<KeyedNumber> numbersSource = new DataGeneratorSource<>(
                index -> new KeyedNumber("key-" + index / 5, index % 5 + 1),
                8L * 5,
                RateLimiterStrategy.perSecond(10 * 2),
                TypeInformation.of(KeyedNumber.class));

        // Exactly-once, as Barrierscope's TwoPhaseCommitSink: FileSink is a two-phase-commit Sink. Records go to
        // in-progress files, a checkpoint turns them pending (pre-commit) and its completion commits them, so
        // readers see each record once. Nothing is committed without checkpoints. (A KafkaSink with
        // DeliveryGuarantee.EXACTLY_ONCE and a transactional id prefix does the same for a Kafka topic.)
        FileSink<KeyedNumber> sink = FileSink
                .forRowFormat(new Path("/tmp/barrierscope/sums"), new SimpleStringEncoder<KeyedNumber>("UTF-8"))
                .build();

        env.fromSource(numbersSource, WatermarkStrategy.noWatermarks(), "numbers")
                .uid("numbers")
                .keyBy(record -> record.key)
                .process(new RunningSum())
                .uid("sum")
                .name("Running sum")
                .sinkTo(sink)
                .uid("sink")
                .name("sums");

        env.execute("running-sum");
    }
}
`;
