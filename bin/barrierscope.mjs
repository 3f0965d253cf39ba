#!/usr/bin/env node
// The `barrierscope` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

// A reader that stops early (`barrierscope inspect FILE | head`) closes the pipe: stop quietly, as cat does.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

register();
const { main, terminalProgress } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), console.log, console.error, terminalProgress(process.stderr));
