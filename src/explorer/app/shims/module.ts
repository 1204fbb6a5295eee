/** `node:module` for the report worker: `createRequire(...).resolve('katex/dist/<file>')` → the preloaded KaTeX folder. */
import { KATEX_DIR } from './files.js';

export function createRequire(_from: string | URL): { resolve(id: string): string } {
  return {
    resolve(id: string): string {
      const match = /^katex\/dist\/(.+)$/.exec(id);
      if (!match) throw new Error(`cannot resolve ${id} in the browser`);
      return `${KATEX_DIR}/${match[1]}`;
    },
  };
}

export default { createRequire };
