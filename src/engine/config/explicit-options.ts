// ExplicitOptions: the options a user set, typed by option name; absent ones answer Flink's default.
// Knowing what was explicit matters: Flink reads restart sub-options only when restart-strategy.type is set.
import { JOB_OPTIONS, type JobOptionName, type OptionDefinition } from './options';

export type OptionValue<N extends JobOptionName> =
  (typeof JOB_OPTIONS)[N] extends OptionDefinition<infer T> ? T : never;

export class ExplicitOptions {
  private readonly values = new Map<JobOptionName, unknown>();

  set<N extends JobOptionName>(name: N, value: OptionValue<N>): void {
    this.values.set(name, value);
  }

  has(name: JobOptionName): boolean {
    return this.values.has(name);
  }

  /** The explicit value, else Flink's default (undefined only for options without a default). */
  get<N extends JobOptionName>(name: N): OptionValue<N> | undefined {
    return (this.values.has(name) ? this.values.get(name) : JOB_OPTIONS[name].defaultValue) as
      | OptionValue<N>
      | undefined;
  }

  /** For options that have a Flink default: the explicit value, else that default. */
  value<N extends JobOptionName>(name: N): OptionValue<N> {
    const value = this.get(name);
    if (value === undefined) throw new Error(`Option ${JOB_OPTIONS[name].key} has no default; use get().`);
    return value;
  }
}
