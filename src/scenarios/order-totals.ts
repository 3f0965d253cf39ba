// order-totals: two sources (orders from two regions) unioned and keyed by customer; an AggregatingState
// keeps {count, total} per customer and emits it on every order. Tasks after keyBy align barriers from
// both sources' subtasks. Under exactly-once each customer's committed counts are exactly 1..n, once each.
import { KeyedProcessFunction, type Collector } from '../engine/graph/functions';
import { AggregatingStateDescriptor, type AggregatingState } from '../engine/state';
import { ReplayableSource, type ReplayableTopic } from '../engine/connectors/replayable-source';
import { TwoPhaseCommitSink } from '../engine/connectors/two-phase-commit-sink';
import { AtLeastOnceSink } from '../engine/connectors/at-least-once-sink';
import { groupByKey, recordsBetween, sourceOptionsFor, type LedgerExpectation, type Scenario, type ScenarioParameters } from './scenario';

export interface Order {
  readonly key: string;
  readonly region: string;
  readonly amount: number;
}

export interface OrderTotal {
  readonly key: string;
  readonly count: number;
  readonly total: number;
}

interface Totals {
  readonly count: number;
  readonly total: number;
}

export const ORDERS_PER_CUSTOMER_PER_REGION = 3;
const PARTITIONS = 2;
const REGIONS = ['eu', 'us'] as const;

export function orderAmount(customer: number, region: number, n: number): number {
  return ((customer * 7 + region * 11 + n * 13) % 50) + 1;
}

export function ordersTopic(region: number, customers: number): ReplayableTopic {
  const customersIn = (partition: number) => Math.max(0, Math.ceil((customers - partition) / PARTITIONS));
  return {
    name: `orders-${REGIONS[region]}`,
    numberOfPartitions: PARTITIONS,
    partitionLength: (partition) => customersIn(partition) * ORDERS_PER_CUSTOMER_PER_REGION,
    read: (partition, offset): Order => {
      const perRound = customersIn(partition);
      const n = Math.floor(offset / perRound);
      const customer = partition + PARTITIONS * (offset % perRound);
      return { key: `customer-${customer}`, region: REGIONS[region]!, amount: orderAmount(customer, region, n) };
    },
  };
}

const totalsFunction = {
  createAccumulator: (): Totals => ({ count: 0, total: 0 }),
  add: (order: Order, accumulator: Totals): Totals => ({ count: accumulator.count + 1, total: accumulator.total + order.amount }),
  getResult: (accumulator: Totals): Totals => accumulator,
};

export class OrderTotals extends KeyedProcessFunction<Order, OrderTotal> {
  private totals!: AggregatingState<Order, Totals>;

  override open(): void {
    this.totals = this.getRuntimeContext().getAggregatingState(new AggregatingStateDescriptor('totals', totalsFunction));
  }

  processElement(order: Order, _context: unknown, out: Collector<OrderTotal>): void {
    this.totals.add(order);
    const { count, total } = this.totals.get() ?? totalsFunction.createAccumulator();
    out.collect({ key: order.key, count, total });
  }
}

function expectedTotal(customer: number): number {
  let total = 0;
  for (let region = 0; region < REGIONS.length; region++) for (let n = 0; n < ORDERS_PER_CUSTOMER_PER_REGION; n++) total += orderAmount(customer, region, n);
  return total;
}

const ORDERS_PER_CUSTOMER = ORDERS_PER_CUSTOMER_PER_REGION * REGIONS.length;

/**
 * How the ledger shows an emitted total: the order count (`#3`), and with the last order the customer's total
 * (`#6 = 150`). Which region's order comes first depends on how the two sources interleave, so the totals in
 * between differ from run to run; the counts and the final total do not.
 */
function totalText(count: number, total: number): string {
  return count === ORDERS_PER_CUSTOMER ? `#${count} = ${total}` : `#${count}`;
}

/** The ledger's expectation for order-totals: counts 1 … 6 once each, then the customer's total. */
export function orderTotalsLedger(parameters: ScenarioParameters): LedgerExpectation {
  const customerOf = (key: string): number | null => {
    const match = /^customer-(0|[1-9]\d*)$/.exec(key);
    const customer = match ? Number(match[1]) : Number.NaN;
    return Number.isSafeInteger(customer) && customer < parameters.keys ? customer : null;
  };
  return {
    keyOf: (record) => (record as OrderTotal).key,
    valueOf: (record) => totalText((record as OrderTotal).count, (record as OrderTotal).total),
    expected(key) {
      const customer = customerOf(key);
      if (customer === null) return [];
      return Array.from({ length: ORDERS_PER_CUSTOMER }, (_, i) => totalText(i + 1, expectedTotal(customer)));
    },
  };
}

export const orderTotals: Scenario = {
  name: 'order-totals',
  description: 'Two sources (EU and US orders) unioned, keyed by customer; AggregatingState keeps count and total.',
  statefulOperatorUid: 'totals',
  stateName: 'totals',
  build(env, parameters) {
    const topics = REGIONS.map((_, region) => ordersTopic(region, parameters.keys));
    const [eu, us] = topics.map((topic) =>
      env.fromSource(new ReplayableSource<Order>(sourceOptionsFor(topic, parameters)), topic.name).uid(topic.name),
    );
    const sink = parameters.mode === 'exactly-once' ? new TwoPhaseCommitSink<OrderTotal>('totals') : new AtLeastOnceSink<OrderTotal>('totals');
    eu!
      .union(us!)
      .keyBy((order) => order.key)
      .process(new OrderTotals())
      .uid('totals')
      .name('Order totals')
      .sinkTo(sink)
      .uid('sink');
    return { sources: new Map(topics.map((topic) => [topic.name, topic])), outputName: 'totals' };
  },
  checkExactlyOnce(output, parameters) {
    const problems: string[] = [];
    const byKey = groupByKey<OrderTotal>(output);
    for (let customer = 0; customer < parameters.keys; customer++) {
      const key = `customer-${customer}`;
      const records = byKey.get(key) ?? [];
      const counts = records.map((record) => record.count).join(',');
      const expected = Array.from({ length: ORDERS_PER_CUSTOMER }, (_, i) => i + 1).join(',');
      if (counts !== expected) problems.push(`${key}: counts ${counts || 'none'}, expected ${expected}`);
      else if (records.at(-1)!.total !== expectedTotal(customer)) problems.push(`${key}: total ${records.at(-1)!.total}, expected ${expectedTotal(customer)}`);
    }
    return problems;
  },
  checkAtLeastOnce(output, parameters) {
    const problems: string[] = [];
    const byKey = groupByKey<OrderTotal>(output);
    for (let customer = 0; customer < parameters.keys; customer++) {
      const key = `customer-${customer}`;
      const records = byKey.get(key) ?? [];
      const seen = new Set(records.map((record) => record.count));
      for (let count = 1; count <= ORDERS_PER_CUSTOMER; count++) if (!seen.has(count)) problems.push(`${key}: no output with count ${count}`);
    }
    return problems;
  },
  expectedState(offsets, parameters) {
    const state = new Map<string, unknown>();
    REGIONS.forEach((_, region) => {
      const topic = ordersTopic(region, parameters.keys);
      for (const [partition, offset] of offsets.get(topic.name) ?? []) {
        for (let o = 0; o < offset; o++) {
          const order = topic.read(partition, o) as Order;
          state.set(order.key, totalsFunction.add(order, (state.get(order.key) as Totals | undefined) ?? totalsFunction.createAccumulator()));
        }
      }
    });
    return state;
  },
  expectedOutput(from, to, parameters) {
    const state = from === null ? new Map<string, unknown>() : orderTotals.expectedState(from, parameters);
    return REGIONS.flatMap((_, region) => {
      const topic = ordersTopic(region, parameters.keys);
      return recordsBetween(topic.name, topic, from, to).map((record) => {
        const order = record as Order;
        const totals = totalsFunction.add(order, (state.get(order.key) as Totals | undefined) ?? totalsFunction.createAccumulator());
        state.set(order.key, totals);
        return { key: order.key, count: totals.count, total: totals.total };
      });
    });
  },
  ledger: orderTotalsLedger,
};
