// `npm run docs`: regenerate docs/ from the sources (runs through tsx, so no build step is needed).
import { main } from '../src/cli/main.js';

process.exitCode = await main(['docs', '--out', 'docs', ...process.argv.slice(2)]);
