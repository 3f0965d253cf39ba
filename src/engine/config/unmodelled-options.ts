// Options Flink has that this simulator reads but does not model yet. A job that turns one on is refused
// with a ConfigurationError naming the option, so nobody watches aligned checkpoints labelled unaligned.
import type { ConfigurationProblem } from './configuration-error';
import type { JobConfiguration } from './job-configuration';
import { JOB_OPTIONS } from './options';

/** One problem per option set to something the runtimes cannot do yet; empty when the job can run. */
export function unmodelledOptionProblems(configuration: JobConfiguration): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  if (configuration.checkpointing.unalignedEnabled) {
    problems.push({
      option: JOB_OPTIONS.unalignedEnabled.key,
      value: true,
      message: 'unaligned checkpoints (FLIP-76) are not modelled yet; set it to false',
    });
  }
  return problems;
}
