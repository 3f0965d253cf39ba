// Stream partitioners: which output channel (subpartition) a record goes to. Names as Flink's:
// forward (1:1, same parallelism), rebalance (round robin), and the key-group hash partitioner of keyBy.
import { assignKeyToParallelOperator, assignKeyToParallelOperatorPrechecked } from '../state/key-groups';
import type { KeySelector } from './functions';

export type PartitionerSpec =
  | { readonly kind: 'forward' }
  | { readonly kind: 'rebalance' }
  | { readonly kind: 'hash'; readonly keySelector: KeySelector<never>; readonly maxParallelism: number };

export interface ChannelSelector {
  selectChannel(record: unknown): number;
}

export function createChannelSelector(spec: PartitionerSpec, numberOfChannels: number, producerSubtask: number): ChannelSelector {
  switch (spec.kind) {
    case 'forward':
      if (numberOfChannels !== 1) throw new Error('Forward partitioning needs exactly one channel per producer');
      return { selectChannel: () => 0 };
    case 'rebalance': {
      // Flink's RebalancePartitioner starts at a random channel; we start at the producer's index
      // so that a seeded run stays deterministic.
      let next = producerSubtask % numberOfChannels;
      return {
        selectChannel: () => {
          const channel = next;
          next = (next + 1) % numberOfChannels;
          return channel;
        },
      };
    }
    case 'hash': {
      const keySelector = spec.keySelector as KeySelector<unknown>;
      const { maxParallelism } = spec;
      // assignKeyToParallelOperator with all its checks for the first record (where they would throw), then
      // without the checks of its unchanging parallelism arguments: the same channel, bit for bit.
      let checked = false;
      return {
        selectChannel: (record) => {
          if (checked) return assignKeyToParallelOperatorPrechecked(keySelector(record), maxParallelism, numberOfChannels);
          const channel = assignKeyToParallelOperator(keySelector(record), maxParallelism, numberOfChannels);
          checked = true;
          return channel;
        },
      };
    }
  }
}
