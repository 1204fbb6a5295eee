/** `node:fs` for the report worker: `readFileSync` over the preloaded table in files.ts, nothing else. */
import { files } from './files.js';

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function readFileSync(path: string, encoding?: string): string | { toString(encoding?: string): string } {
  const bytes = files.get(path);
  if (!bytes) throw new Error(`${path} is not available in the browser`);
  if (encoding === 'utf8' || encoding === 'utf-8') return new TextDecoder().decode(bytes);
  return { toString: (as?: string) => (as === 'base64' ? base64(bytes) : new TextDecoder().decode(bytes)) };
}

export default { readFileSync };
