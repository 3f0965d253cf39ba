// The docs stay true: every console example in README.md and docs/cli.md is run, and what each command
// prints must be what the doc shows under it (`npm run docs:update` pastes real output back in).
// `npm start`, the README's first command, must serve the page.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleBlocks, matchesOutput, runBlock } from '../docs/doc-examples';
import { DOCUMENTED_FILES } from '../docs/documented-files';
import { until } from '../support/until';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe.each(DOCUMENTED_FILES)('%s', (file) => {
  const blocks = consoleBlocks(file, read(file));
  // One /tmp/ for the whole file, examples in reading order: later ones read what earlier ones wrote.
  const scratch = mkdtempSync(join(tmpdir(), 'barrierscope-docs-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has console examples to check', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block) => [`line ${block.line}: ${block.commands[0]!.command}${block.commands.length > 1 ? ` (+${block.commands.length - 1} more)` : ''}`, block] as const))(
    'prints what it shows at %s',
    (_name, block) => {
      const outputs = runBlock(block, root, scratch);
      block.commands.forEach((command, index) => {
        const actual = outputs[index] ?? [];
        const message = `${file}:${block.line}: '${command.command}' printed something else (npm run docs:update pastes real output)`;
        if (matchesOutput(command.expected, actual)) return;
        expect(actual.join('\n'), message).toBe(command.expected.join('\n'));
      });
    },
  );

  it('runs every barrierscope command it shows in a checked console example', () => {
    const unchecked = [...read(file).matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)]
      .flatMap((match) => match[1]!.split('\n'))
      .filter((line) => /^\s*(npx barrierscope|npm run cli)\b/.test(line) && !line.includes('<'));
    expect(unchecked, 'show CLI commands as ```console examples with their output').toEqual([]);
  });
});

/** A port the OS says is free now (listen on 0, read it back, close). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('npm start', () => {
  it('serves the page with its default job', async () => {
    const port = await freePort();
    const server = spawn('npm', ['start', '--', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore', detached: true });
    let html = '';
    try {
      await until(async () => {
        html = await fetch(`http://127.0.0.1:${port}/`).then((response) => (response.ok ? response.text() : ''), () => '');
        return html.length > 0;
      }, `npm start to serve http://127.0.0.1:${port}/`);
      expect(html).toContain('<title>Barrierscope');
      const entry = /src="(\/src\/main\.ts)"/.exec(html)?.[1];
      expect(entry).toBeDefined();
      const script = await fetch(`http://127.0.0.1:${port}${entry}`);
      expect(script.ok).toBe(true);
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
    }
  });
});
