// ConfigurationError: every invalid option of one configuration, collected, thrown once.
// Each problem names the option, the value given and what is allowed, so a user can fix all at once.

export interface ConfigurationProblem {
  /** The option key as the user wrote it (or the dependent option, for cross-option rules). */
  readonly option: string;
  /** The offending value as given, or undefined for a missing-combination problem. */
  readonly value: unknown;
  /** What is wrong and what is allowed, as a sentence. */
  readonly message: string;
}

export class ConfigurationError extends Error {
  readonly problems: readonly ConfigurationProblem[];

  constructor(problems: readonly ConfigurationProblem[]) {
    super(
      `Invalid job configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem.option}: ${problem.message}`).join('\n'),
    );
    this.name = 'ConfigurationError';
    this.problems = Object.freeze([...problems]);
  }
}

/** Quotes a raw value for a message: strings in quotes, others as written. */
export function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
