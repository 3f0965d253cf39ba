// Committed output that survives a reload, on fake-indexeddb: a "reload" is opening the database again.
import { describe, expect, it } from 'vitest';
import { DurableExternalSystems } from './durable-external-output';

let databases = 0;
const freshDatabase = () => `outputs-test-${databases++}`;

describe('DurableExternalSystems', () => {
  it('hydrates the commits of an earlier page load in commit order', async () => {
    const databaseName = freshDatabase();
    const first = await DurableExternalSystems.open('job', { databaseName });
    first.output('sums').commitTransaction('sink#1@2', [{ key: 'b', value: 1 }]);
    first.output('sums').commitTransaction('sink#0@1', [{ key: 'a', value: 1 }]);
    first.output('sums').commitTransaction('sink#0@3', [{ key: 'a', value: 3 }]);
    await first.flushed();
    first.close();

    const reloaded = await DurableExternalSystems.open('job', { databaseName });
    expect(reloaded.output('sums').records()).toEqual([
      { key: 'b', value: 1 },
      { key: 'a', value: 1 },
      { key: 'a', value: 3 },
    ]);
    reloaded.close();
  });

  it('keeps a commit idempotent across page loads: re-committing a stored transaction changes nothing', async () => {
    const databaseName = freshDatabase();
    const first = await DurableExternalSystems.open('job', { databaseName });
    expect(first.output('sums').commitTransaction('sink#0@1', [1, 2])).toBe(true);
    await first.flushed();
    first.close();

    const reloaded = await DurableExternalSystems.open('job', { databaseName });
    expect(reloaded.output('sums').commitTransaction('sink#0@1', [1, 2])).toBe(false);
    expect(reloaded.output('sums').commitTransaction('sink#0@2', [3])).toBe(true);
    await reloaded.flushed();
    reloaded.close();

    const again = await DurableExternalSystems.open('job', { databaseName });
    expect(again.output('sums').records()).toEqual([1, 2, 3]);
    again.close();
  });

  it('discards only the stored commits of the job that starts fresh', async () => {
    const databaseName = freshDatabase();
    const jobA = await DurableExternalSystems.open('job-a', { databaseName });
    const jobB = await DurableExternalSystems.open('job-b', { databaseName });
    jobA.output('sums').commitTransaction('sink#0@1', ['a']);
    jobB.output('sums').commitTransaction('sink#0@1', ['b']);
    await Promise.all([jobA.flushed(), jobB.flushed()]);
    jobA.close();
    jobB.close();

    const freshA = await DurableExternalSystems.open('job-a', { databaseName, discardStored: true });
    expect(freshA.output('sums').records()).toEqual([]);
    freshA.close();
    const reloadedA = await DurableExternalSystems.open('job-a', { databaseName });
    const reloadedB = await DurableExternalSystems.open('job-b', { databaseName });
    expect(reloadedA.output('sums').records()).toEqual([]);
    expect(reloadedB.output('sums').records()).toEqual(['b']);
    reloadedA.close();
    reloadedB.close();
  });

  it('reports a commit it could not store instead of throwing, and keeps it visible', async () => {
    const errors: string[] = [];
    const systems = await DurableExternalSystems.open('job', { databaseName: freshDatabase(), onError: (message) => errors.push(message) });
    systems.close();
    expect(systems.output('sums').commitTransaction('sink#0@1', [1])).toBe(true);
    await systems.flushed();
    expect(systems.output('sums').records()).toEqual([1]);
    expect(errors).toEqual([expect.stringContaining("Storing committed transaction 'sink#0@1' of output 'sums' failed")]);
  });
});
