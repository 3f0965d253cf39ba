// Each scenario's operators in Java: its record types, its keyed function (the same state, the same output) and
// its sources. Sources: Barrierscope reads replayable partitioned topics (Kafka-like); Flink's counterpart with
// no external system is DataGeneratorSource (flink-connector-datagen, Flink's docs "DataGen Connector"), which
// is replayable too — its position is in every checkpoint — but splits its index range over the source
// subtasks rather than by partition. Its rate limit is for all subtasks together, hence rate × parallelism.
import type { ScenarioParameters } from '../../scenarios/scenario';
import { KEYED_SUM_ROUNDS } from '../../scenarios/keyed-sum';
import { ORDERS_PER_CUSTOMER_PER_REGION } from '../../scenarios/order-totals';
import { VALUES_PER_KEY } from '../../scenarios/running-sum';
import { javaString, type JobOutline, type OperatorOutline } from './job-outline';

export interface ScenarioProgram {
  readonly imports: readonly string[];
  /** Nested classes of the job class: records and functions. */
  readonly classes: string;
  /** Statements in main() declaring the sources. */
  readonly sources: string;
  /** The stream that is keyed: the source (with its uid), or the union of the sources. */
  readonly sourceStream: string;
  /** The keyed function's class, constructed with no arguments. */
  readonly keyedFunction: string;
  /** The sink's record type. */
  readonly outputType: string;
  /** Whether the scenario's sink discards everything (keyed-sum): Flink's DiscardingSink whatever the mode. */
  readonly discards: boolean;
}

const GENERATOR_IMPORTS = [
  'org.apache.flink.api.common.eventtime.WatermarkStrategy',
  'org.apache.flink.api.common.functions.OpenContext',
  'org.apache.flink.api.common.typeinfo.TypeInformation',
  'org.apache.flink.api.common.typeinfo.Types',
  'org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy',
  'org.apache.flink.connector.datagen.source.DataGeneratorSource',
  'org.apache.flink.streaming.api.functions.KeyedProcessFunction',
  'org.apache.flink.util.Collector',
];

/** `count` records, or forever for an unbounded run. */
function recordCount(parameters: ScenarioParameters, perKey: number, unboundedAllowed: boolean): string {
  return unboundedAllowed && parameters.unbounded ? 'Long.MAX_VALUE' : `${parameters.keys}L * ${perKey}`;
}

function rate(outline: JobOutline, parameters: ScenarioParameters, sourceIndex: number): string {
  const parallelism = outline.sources[sourceIndex]!.parallelism ?? outline.parallelism;
  return `RateLimiterStrategy.perSecond(${parameters.recordsPerSecond} * ${parallelism})`;
}

/** A POJO (public fields, a no-argument constructor) that Flink serializes without Kryo. */
function pojo(name: string, fields: ReadonlyArray<readonly [string, string]>, toString: string): string {
  const declared = fields.map(([type, field]) => `        public ${type} ${field};`).join('\n');
  const parameters = fields.map(([type, field]) => `${type} ${field}`).join(', ');
  const assigned = fields.map(([, field]) => `this.${field} = ${field};`).join(' ');
  return `    public static class ${name} {
${declared}

        public ${name}() {}

        public ${name}(${parameters}) {
            ${assigned}
        }

        @Override
        public String toString() {
            return ${toString};
        }
    }`;
}

export function runningSumProgram(outline: JobOutline, parameters: ScenarioParameters): ScenarioProgram {
  const source = outline.sources[0]!;
  const values = VALUES_PER_KEY.length;
  return {
    imports: [...GENERATOR_IMPORTS, 'org.apache.flink.api.common.state.ValueState', 'org.apache.flink.api.common.state.ValueStateDescriptor'],
    classes: `${pojo('KeyedNumber', [['String', 'key'], ['long', 'value']], 'key + "," + value')}

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
    }`,
    sources: `        // Barrierscope's "${source.name}" topic (4 partitions, ${parameters.unbounded ? 'fresh keys forever' : `${parameters.keys} keys`}): key-i gets ${VALUES_PER_KEY.join(', ')}.
        // Here one key's records are consecutive indices; a key whose records straddle two source subtasks'
        // ranges may reach the sum out of order (the final sum is still 15). Read a Kafka topic partitioned
        // by key (KafkaSource) to keep each key's order as the topic does.
        DataGeneratorSource<KeyedNumber> ${variable(source.name)} = new DataGeneratorSource<>(
                index -> new KeyedNumber("key-" + index / ${values}, index % ${values} + 1),
                ${recordCount(parameters, values, true)},
                ${rate(outline, parameters, 0)},
                TypeInformation.of(KeyedNumber.class));`,
    sourceStream: sourceExpression(source),
    keyedFunction: 'RunningSum',
    outputType: 'KeyedNumber',
    discards: false,
  };
}

export function keyedSumProgram(outline: JobOutline, parameters: ScenarioParameters): ScenarioProgram {
  const source = outline.sources[0]!;
  const rounds = parameters.rounds ?? KEYED_SUM_ROUNDS;
  return {
    imports: [...GENERATOR_IMPORTS, 'org.apache.flink.api.common.state.ValueState', 'org.apache.flink.api.common.state.ValueStateDescriptor'],
    classes: `${pojo('Count', [['String', 'key'], ['long', 'value']], 'key + "," + value')}

    /** Keyed count: ValueState "count" per key, adds each record's value; emits nothing (the benchmark's job). */
    public static class KeyedCount extends KeyedProcessFunction<String, Count, Void> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Count input, Context context, Collector<Void> out) throws Exception {
            Long current = count.value();
            count.update((current == null ? 0L : current) + input.value);
        }
    }`,
    sources: `        // Barrierscope's "${source.name}" topic (8 partitions): ${parameters.keys} keys k0…k${parameters.keys - 1}, each gets 1 in each of ${rounds} rounds.
        DataGeneratorSource<Count> ${variable(source.name)} = new DataGeneratorSource<>(
                index -> new Count("k" + index % ${parameters.keys}, 1),
                ${recordCount(parameters, rounds, false)},
                ${rate(outline, parameters, 0)},
                TypeInformation.of(Count.class));`,
    sourceStream: sourceExpression(source),
    keyedFunction: 'KeyedCount',
    outputType: 'Void',
    discards: true,
  };
}

export function orderTotalsProgram(outline: JobOutline, parameters: ScenarioParameters): ScenarioProgram {
  const perRegion = ORDERS_PER_CUSTOMER_PER_REGION;
  const declarations = outline.sources.map((source, region) => {
    const regionName = source.name.replace(/^orders-/, '');
    return `        // Barrierscope's "${source.name}" topic (2 partitions): ${perRegion} orders of each of ${parameters.keys} customers.
        DataGeneratorSource<Order> ${variable(source.name)} = new DataGeneratorSource<>(
                index -> new Order("customer-" + index / ${perRegion}, ${javaString(regionName)}, orderAmount(index / ${perRegion}, ${region}, index % ${perRegion})),
                ${recordCount(parameters, perRegion, false)},
                ${rate(outline, parameters, region)},
                TypeInformation.of(Order.class));`;
  });
  const [first, ...rest] = outline.sources.map(sourceExpression);
  return {
    imports: [
      ...GENERATOR_IMPORTS,
      'org.apache.flink.api.common.functions.AggregateFunction',
      'org.apache.flink.api.common.state.AggregatingState',
      'org.apache.flink.api.common.state.AggregatingStateDescriptor',
      'org.apache.flink.streaming.api.datastream.DataStream',
    ],
    classes: `${pojo('Order', [['String', 'key'], ['String', 'region'], ['long', 'amount']], 'key + "," + region + "," + amount')}

${pojo('OrderTotal', [['String', 'key'], ['long', 'count'], ['long', 'total']], 'key + ",#" + count + "," + total')}

${pojo('Totals', [['long', 'count'], ['long', 'total']], 'count + "," + total')}

    /** Barrierscope's order amounts: 1…50, fixed per customer, region and order number. */
    static long orderAmount(long customer, long region, long n) {
        return (customer * 7 + region * 11 + n * 13) % 50 + 1;
    }

    /** {count, total} of a customer's orders. */
    public static class TotalsFunction implements AggregateFunction<Order, Totals, Totals> {
        @Override public Totals createAccumulator() { return new Totals(0, 0); }
        @Override public Totals add(Order order, Totals totals) { return new Totals(totals.count + 1, totals.total + order.amount); }
        @Override public Totals getResult(Totals totals) { return totals; }
        @Override public Totals merge(Totals a, Totals b) { return new Totals(a.count + b.count, a.total + b.total); }
    }

    /** AggregatingState "totals" per customer; emits {count, total} on every order. */
    public static class OrderTotals extends KeyedProcessFunction<String, Order, OrderTotal> {
        private transient AggregatingState<Order, Totals> totals;

        @Override
        public void open(OpenContext openContext) {
            totals = getRuntimeContext().getAggregatingState(
                    new AggregatingStateDescriptor<>("totals", new TotalsFunction(), Totals.class));
        }

        @Override
        public void processElement(Order order, Context context, Collector<OrderTotal> out) throws Exception {
            totals.add(order);
            Totals current = totals.get();
            out.collect(new OrderTotal(order.key, current.count, current.total));
        }
    }`,
    sources: `${declarations.join('\n')}
        // Two sources: the keyed task aligns barriers from every subtask of both.
        DataStream<Order> orders = ${[first, ...rest.map((stream) => `\n                .union(${stream})`)].join('')};`,
    sourceStream: 'orders',
    keyedFunction: 'OrderTotals',
    outputType: 'OrderTotal',
    discards: false,
  };
}

/** `env.fromSource(…)` with the source's uid (its name is fromSource's last argument) and its own parallelism. */
function sourceExpression(source: OperatorOutline): string {
  const parallelism = source.parallelism === null ? '' : `\n                .setParallelism(${source.parallelism})`;
  return `env.fromSource(${variable(source.name)}, WatermarkStrategy.noWatermarks(), ${javaString(source.name)})
                .uid(${javaString(source.uid)})${parallelism}`;
}

/** A Java variable for a source named like "orders-eu": "ordersEu". */
export function variable(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const joined = words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('');
  return /^[A-Za-z]/.test(joined) ? `${joined}Source` : `source${joined}`;
}
