#!/usr/bin/env node
// `npx cunbao …` right after `npm ci`: no build step, tsx compiles the TypeScript on load.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
