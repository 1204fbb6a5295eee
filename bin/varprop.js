#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled library (npm install builds dist/ via `prepare`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
