// The state layer's public API: key groups, keyed state (hashmap backend), operator state, snapshots.
// Import from here; files behind it may be reorganised.
export type { Json } from './json';
export { copyJson, estimateSizeBytes, utf8ByteLength } from './json';
export type { Key } from './java-hash-code';
export { javaStringHashCode, javaIntegerHashCode, javaDoubleHashCode, keyHashCode, checkKey } from './java-hash-code';
export { murmurHash, roundUpToPowerOfTwo } from './math-utils';
export { KeyGroupRange } from './key-group-range';
export {
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
  UPPER_BOUND_MAX_PARALLELISM,
  assignKeyToParallelOperator,
  assignToKeyGroup,
  checkParallelismPreconditions,
  computeDefaultMaxParallelism,
  computeKeyGroupForKeyHash,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
} from './key-groups';
export type { AggregateFunction, ReduceFunction, StateDescriptorInfo, StateKind } from './descriptors';
export {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './descriptors';
export type { AggregatingState, ListState, MapState, ReducingState, State, ValueState } from './state-interfaces';
export type { HeapKeyedStateBackendOptions } from './heap-keyed-state-backend';
export { HeapKeyedStateBackend } from './heap-keyed-state-backend';
export type { IndexedDbKeyedStateBackendOptions } from './indexeddb-keyed-state-backend';
export { IndexedDbKeyedStateBackend } from './indexeddb-keyed-state-backend';
export type {
  KeyGroupSnapshot,
  KeyedStateBackendName,
  KeyedStateSnapshot,
  StoredKeyGroups,
  KeyedStateSnapshotView,
  StateMetaInfoSnapshot,
} from './keyed-state-snapshot';
export { materializeKeyGroup, materializeKeyedSnapshot } from './keyed-state-snapshot';
export type {
  OperatorListStateSnapshot,
  OperatorStateDistributionMode,
  OperatorStateSnapshot,
} from './operator-state-snapshot';
export { checkOperatorStateSnapshot } from './operator-state-snapshot';
export { OperatorStateBackend } from './operator-state-backend';
export { repartitionOperatorState } from './operator-state-repartitioner';
