// The page's one command table: keys are unambiguous where they apply, and the key list shows every command once.
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandForKey, commandGroups, keyOf, type CommandContext } from './commands';

describe('the command table', () => {
  it('gives each key at most one command in any situation the page is in', () => {
    const situations: CommandContext[][] = [['page'], ['page', 'job'], ['page', 'resume-offer']];
    for (const contexts of situations) {
      const keys = COMMANDS.filter((command) => contexts.includes(command.context)).map((command) => command.key);
      expect(new Set(keys).size, contexts.join('+')).toBe(keys.length);
    }
  });

  it('finds a command only where it applies', () => {
    expect(commandForKey('o', ['page'])?.id).toBe('open-snapshot');
    expect(commandForKey('e', ['page', 'job'])?.id).toBe('savepoint-download');
    expect(commandForKey('e', ['page'])).toBeUndefined();
    expect(commandForKey(' ', ['page', 'job'])?.id).toBe('pause');
    expect(commandForKey(' ', ['page'])).toBeUndefined();
    expect(keyOf('pause')).toBe('Space');
  });

  it('lists every command once in the key list, the special situations last', () => {
    const groups = commandGroups();
    expect(groups.flatMap((group) => group.commands.map((command) => command.id)).sort()).toEqual(COMMANDS.map((command) => command.id).sort());
    expect(groups.map((group) => group.heading)).toEqual([null, 'on a resume offer']);
  });
});
