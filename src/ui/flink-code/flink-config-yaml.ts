// The configuration in force as Flink's config.yaml entries (Flink ≥ 1.19's standard YAML, flat keys).
// Guarantee: every option the simulator models, with Flink's key and value format (toFlinkOptions writes them
// with the option table's formats, e.g. "10 min"); Barrierscope-only values are mapped to Flink's and say so.
// Keys and values follow Flink's generated option tables (docs/layouts/shortcodes/generated/*_configuration.html:
// execution.checkpointing.*, state.backend.type, restart-strategy.*, heartbeat.*) and task_failure_recovery.md's
// YAML example ("restart-strategy.exponential-delay.initial-backoff: 1 s").
import type { ScenarioJob } from '../../runtime/sim/scenario-job';
import { JOB_OPTIONS, toFlinkOptions } from '../../engine/config';

type Group = readonly [heading: string, keys: readonly string[]];

function key(name: keyof typeof JOB_OPTIONS): string {
  return JOB_OPTIONS[name].key;
}

const GROUPS: readonly Group[] = [
  ['Parallelism and key groups', [key('parallelism'), key('maxParallelism')]],
  [
    'Checkpointing',
    [
      key('checkpointingInterval'),
      key('checkpointingMode'),
      key('checkpointingTimeout'),
      key('minPause'),
      key('maxConcurrentCheckpoints'),
      key('tolerableFailedCheckpoints'),
      key('numRetained'),
      key('unalignedEnabled'),
      key('alignedCheckpointTimeout'),
      key('incremental'),
      key('externalizedCheckpointRetention'),
    ],
  ],
  ['State backend', [key('stateBackend')]],
  ['Restoring from a savepoint or retained checkpoint', [key('ignoreUnclaimedState'), key('claimMode')]],
  ['Restart strategy', Object.values(JOB_OPTIONS).map((definition) => definition.key).filter((name) => name.startsWith('restart-strategy.'))],
  ['Heartbeats (cluster options)', [key('heartbeatInterval'), key('heartbeatTimeout')]],
];

/** Comment lines to write above an entry, and the value Flink is given (for a Barrierscope-only value). */
function annotate(name: string, value: string, options: Readonly<Record<string, string>>): { comments: string[]; value: string } {
  if (name === key('stateBackend') && value === 'indexeddb') {
    return {
      comments: ["Barrierscope's 'indexeddb' backend stands for RocksDB (state off the heap, incremental snapshots)."],
      value: 'rocksdb',
    };
  }
  if (name === key('incremental') && value === 'true' && options[key('stateBackend')] === 'hashmap') {
    return { comments: ['The hashmap backend ignores this; rocksdb (and forst) make incremental checkpoints.'], value };
  }
  if (name === key('maxParallelism')) return { comments: [`${value} key groups.`], value };
  return { comments: [], value };
}

/** YAML needs no quotes for Flink's values ("1 s", EXACTLY_ONCE, true, 0.1); quote anything else it could misread. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_. -]+$/.test(value) && value.trim() === value && value !== '' ? value : JSON.stringify(value);
}

/** The config.yaml entries of the job's configuration, grouped, with comments. */
export function flinkConfigYaml(job: ScenarioJob): string {
  const options = toFlinkOptions(job.configuration);
  const lines = [
    `# config.yaml for Barrierscope's '${job.jobGraph.name}' job: the configuration in force (Flink 1.19+ YAML; Flink 1.20 / 2.x keys).`,
  ];
  for (const [heading, keys] of GROUPS) {
    lines.push('', `# ${heading}`);
    if (heading === 'Checkpointing' && options[key('checkpointingInterval')] === undefined) {
      lines.push('# execution.checkpointing.interval is not set: checkpointing is off (Flink has no default interval).');
    }
    for (const name of keys) {
      const raw = options[name];
      if (raw === undefined) continue;
      const { comments, value } = annotate(name, raw, options);
      lines.push(...comments.map((comment) => `# ${comment}`), `${name}: ${yamlScalar(value)}`);
    }
    if (heading === 'Checkpointing') {
      lines.push("# Barrierscope keeps checkpoints in the browser; Flink needs a file system both the JobManager and TaskManagers reach:", '# execution.checkpointing.dir: file:///tmp/flink-checkpoints');
    }
  }
  const cacheKey = key('indexedDbCacheKeyGroups');
  lines.push(
    '',
    `# Not a Flink option: ${cacheKey}: ${options[cacheKey] ?? ''} (the indexeddb backend's in-memory cache;`,
    "# RocksDB's counterpart is its block cache, sized from managed memory).",
  );
  return `${lines.join('\n')}\n`;
}
