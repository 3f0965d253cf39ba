// docs/events.md stays true to the event schema (event-schema.ts, the EngineEvent union): every event type has
// its section, each section names every field of its type, and every JSON line it shows (but one it cuts short
// with …) is a valid event of that type.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { EVENT_SCHEMAS } from './event-schema';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');

/** The text of each `### \`type\`` section, up to the next heading. */
function sections(): Map<string, string> {
  const result = new Map<string, string>();
  const parts = doc.split(/^#{2,3} /m);
  for (const part of parts) {
    const heading = /^`([a-z-]+)`\n/.exec(part);
    if (heading) result.set(heading[1]!, part);
  }
  return result;
}

const SECTIONS = sections();

describe('docs/events.md', () => {
  it('has a section for every event type, and none for a type the engine does not have', () => {
    expect([...SECTIONS.keys()].sort()).toEqual([...EVENT_SCHEMAS.keys()].sort());
  });

  it.each([...EVENT_SCHEMAS.keys()])('names every field of %s, and shows only valid lines of it', (type) => {
    const section = SECTIONS.get(type) ?? '';
    const schema = EVENT_SCHEMAS.get(type)! as unknown as { entries: Record<string, unknown> };
    const missing = Object.keys(schema.entries).filter((field) => field !== 'type' && field !== 'time' && !section.includes(`\`${field}\``));
    expect(missing, `fields of ${type} its section does not name`).toEqual([]);
    const lines = [...section.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((match) => match[1]!.split('\n').filter((line) => line.trim().startsWith('{')));
    // A line the doc cuts short (an array ending in …) is no JSON; the rest must be valid events.
    for (const line of lines.filter((candidate) => !candidate.includes('…'))) {
      const parsed = v.safeParse(EVENT_SCHEMAS.get(type)!, JSON.parse(line));
      expect(parsed.issues?.map((issue) => issue.message) ?? [], line).toEqual([]);
    }
  });
});
