// Options Flink has that this simulator reads but does not model yet. A job that turns one on is refused
// with a ConfigurationError naming the option, so nobody watches a behaviour labelled with a name it does not
// have. None today: unaligned checkpoints (FLIP-76, `execution.checkpointing.unaligned.enabled`) and the
// aligned-checkpoint timeout run since issue 9. The refusals Flink itself makes for them (unaligned only with
// EXACTLY_ONCE and one checkpoint at a time) are configuration problems of their own (parse-job-configuration.ts).
// The hook stays: the job master and the page's run options ask it before anything runs.
import type { ConfigurationProblem } from './configuration-error';
import type { JobConfiguration } from './job-configuration';

/** One problem per option set to something the runtimes cannot do yet; empty when the job can run. */
export function unmodelledOptionProblems(configuration: JobConfiguration): ConfigurationProblem[] {
  void configuration;
  return [];
}
