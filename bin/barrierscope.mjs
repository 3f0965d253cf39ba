#!/usr/bin/env node
// The `barrierscope` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main, terminalProgress } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), console.log, console.error, terminalProgress(process.stderr));
