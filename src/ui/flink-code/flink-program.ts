// The running job as a Flink DataStream program in Java (Flink 1.20 / 2.x APIs), to copy into a real project.
// Guarantee: the program has the scenario's operators, state names, uids, names and parallelism, and sets in
// code only what the scenario sets on its environment; every other option in force is in flinkConfigYaml.
import type { ScenarioJob } from '../../runtime/sim/scenario-job';
import { javaClassName, javaString, operatorCalls, outlineJob, type JobOutline } from './job-outline';
import { keyedSumProgram, orderTotalsProgram, runningSumProgram, type ScenarioProgram } from './scenario-programs';

export { flinkConfigYaml } from './flink-config-yaml';

const TRANSLATIONS: ReadonlyMap<string, (outline: JobOutline, job: ScenarioJob) => ScenarioProgram> = new Map([
  ['running-sum', (outline, job) => runningSumProgram(outline, job.parameters)],
  ['keyed-sum', (outline, job) => keyedSumProgram(outline, job.parameters)],
  ['order-totals', (outline, job) => orderTotalsProgram(outline, job.parameters)],
]);

/** Scenarios flinkJavaProgram can translate. */
export const TRANSLATED_SCENARIOS: readonly string[] = [...TRANSLATIONS.keys()];

interface SinkCode {
  readonly imports: readonly string[];
  readonly declaration: string;
}

/** Barrierscope's sinks: a two-phase-commit sink for exactly-once, a plain appending one for at-least-once. */
function sinkCode(program: ScenarioProgram, job: ScenarioJob, outputName: string): SinkCode {
  const type = program.outputType;
  if (program.discards) {
    return {
      imports: ['org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink'],
      declaration: `        // Flink's DiscardingSink, as the scenario's: the benchmark measures the engine, not the output.
        DiscardingSink<${type}> sink = new DiscardingSink<>();`,
    };
  }
  if (job.parameters.mode === 'exactly-once') {
    return {
      imports: [
        'org.apache.flink.api.common.serialization.SimpleStringEncoder',
        'org.apache.flink.connector.file.sink.FileSink',
        'org.apache.flink.core.fs.Path',
      ],
      declaration: `        // Exactly-once, as Barrierscope's TwoPhaseCommitSink: FileSink is a two-phase-commit Sink. Records go to
        // in-progress files, a checkpoint turns them pending (pre-commit) and its completion commits them, so
        // readers see each record once. Nothing is committed without checkpoints. (A KafkaSink with
        // DeliveryGuarantee.EXACTLY_ONCE and a transactional id prefix does the same for a Kafka topic.)
        FileSink<${type}> sink = FileSink
                .forRowFormat(new Path(${javaString(`/tmp/barrierscope/${outputName}`)}), new SimpleStringEncoder<${type}>("UTF-8"))
                .build();`,
    };
  }
  return {
    imports: ['org.apache.flink.streaming.api.functions.sink.PrintSink'],
    declaration: `        // At-least-once, as Barrierscope's appending sink: PrintSink writes every record at once, with no
        // transaction, so after a restore the records since the restored checkpoint are written again.
        PrintSink<${type}> sink = new PrintSink<>(${javaString(outputName)});`,
  };
}

function environmentCode(outline: JobOutline): { imports: string[]; lines: string[] } {
  const lines = [
    '        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();',
    `        env.setParallelism(${outline.parallelism});`,
    `        env.setMaxParallelism(${outline.maxParallelism}); // ${outline.maxParallelism} key groups`,
  ];
  if (outline.checkpointIntervalMs === null) {
    lines.push('        // Checkpointing is off: no execution.checkpointing.interval (Flink has no default).');
    return { imports: [], lines };
  }
  lines.push(`        env.enableCheckpointing(${outline.checkpointIntervalMs}, CheckpointingMode.${outline.mode}); // every ${outline.checkpointIntervalMs} ms`);
  return { imports: ['org.apache.flink.core.execution.CheckpointingMode'], lines };
}

/** The equivalent Flink program for the job, as one Java file. Throws for a scenario it cannot translate. */
export function flinkJavaProgram(job: ScenarioJob): string {
  const translate = TRANSLATIONS.get(job.scenario.name);
  if (!translate) throw new Error(`No Flink translation of scenario '${job.scenario.name}' (have: ${TRANSLATED_SCENARIOS.join(', ')})`);
  const outline = outlineJob(job);
  const program = translate(outline, job);
  const sink = sinkCode(program, job, job.built.outputName);
  const environment = environmentCode(outline);
  const imports = [...new Set([...program.imports, ...sink.imports, ...environment.imports, 'org.apache.flink.streaming.api.environment.StreamExecutionEnvironment'])].sort();
  const className = javaClassName(outline.jobName);
  const pipeline = [
    `        ${program.sourceStream}`,
    '                .keyBy(record -> record.key)',
    `                .process(new ${program.keyedFunction}())`,
    ...operatorCalls(outline.keyed, '                '),
    '                .sinkTo(sink)',
    ...operatorCalls(outline.sink, '                '),
  ];
  return `// Barrierscope's ${javaString(outline.jobName)} job as a Flink DataStream program (Flink 1.20 / 2.x).
// Dependencies: flink-streaming-java, flink-connector-datagen${program.discards || job.parameters.mode !== 'exactly-once' ? '' : ', flink-connector-files'}.
// Options not set in code are in config.yaml; options set in code take precedence over it.

${imports.map((name) => `import ${name};`).join('\n')}

public class ${className} {

${program.classes}

    public static void main(String[] args) throws Exception {
${environment.lines.join('\n')}

${program.sources}

${sink.declaration}

${pipeline.join('\n')};

        env.execute(${javaString(outline.jobName)});
    }
}
`;
}
