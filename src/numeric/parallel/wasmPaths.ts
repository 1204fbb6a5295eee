/** Node only: where tfjs-backend-wasm's .wasm binaries sit in node_modules (no network). */
import { createRequire } from 'node:module';
import path from 'node:path';

/** The package's dist folder, with a trailing separator, for `setWasmPaths`. */
export function nodeWasmDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(packageJson), 'dist') + path.sep;
}
