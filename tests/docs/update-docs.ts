// `npm run docs:update`: runs every console example in the documented files and pastes what each
// command really printed under it. Examples that elide lines (`…`) are checked, not rewritten.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleBlocks, ELISION, matchesOutput, regeneratedBody, runBlock, withScratch } from './doc-examples';
import { DOCUMENTED_FILES } from './documented-files';

const root = join(import.meta.dirname, '..', '..');
let unmatched = 0;
for (const file of DOCUMENTED_FILES) {
  const path = join(root, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks = consoleBlocks(file, lines.join('\n'));
  // Run in reading order (later examples may read earlier ones' files); paste last block first, so
  // earlier blocks' line numbers stay valid while bodies change length.
  const outputs = withScratch((scratch) => blocks.map((block) => runBlock(block, root, scratch)));
  blocks.forEach((block, blockIndex) => {
    block.commands.forEach((command, index) => {
      const actual = outputs[blockIndex]![index] ?? [];
      if (command.expected.includes(ELISION) && !matchesOutput(command.expected, actual)) {
        unmatched++;
        console.error(`${file}:${block.line}: '${command.command}' printed, against an elided example:\n${actual.join('\n')}\n`);
      }
    });
  });
  for (let blockIndex = blocks.length - 1; blockIndex >= 0; blockIndex--) {
    const block = blocks[blockIndex]!;
    lines.splice(block.bodyStart, block.bodyEnd - block.bodyStart, ...regeneratedBody(block, outputs[blockIndex]!));
  }
  writeFileSync(path, lines.join('\n'));
  console.log(`updated ${file}`);
}
process.exitCode = unmatched === 0 ? 0 : 1;
