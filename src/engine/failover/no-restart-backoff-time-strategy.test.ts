import { describe, expect, it } from 'vitest';
import { NoRestartBackoffTimeStrategy } from './no-restart-backoff-time-strategy';

describe('NoRestartBackoffTimeStrategy', () => {
  it('never allows a restart, before or after a failure', () => {
    const strategy = new NoRestartBackoffTimeStrategy();
    expect(strategy.canRestart()).toBe(false);
    expect(strategy.notifyFailure(new Error('boom'), 10)).toBe(true);
    expect(strategy.canRestart()).toBe(false);
    expect(strategy.getBackoffTime()).toBe(0);
  });
});
