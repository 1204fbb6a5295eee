/**
 * `npm run explore [-- --port N]`: the `varprop explore` command run from source with tsx, so it
 * works on a fresh clone without compiling the CLI first.
 */
import { main } from '../cli/main.js';

process.exitCode = await main(['explore', ...process.argv.slice(2)]);
