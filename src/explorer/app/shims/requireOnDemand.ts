/**
 * The browser's src/math/requireOnDemand.ts. In Node that module loads mathjs and nerdamer lazily by
 * name; esbuild cannot bundle `require(id)` with `id` a variable (the bundle throws "Dynamic require
 * of "mathjs" is not supported"), so the explorer build maps it here, where each package is required
 * by its literal name and therefore bundled.
 */
export function requireOnDemand(id: string, _from?: string): unknown {
  switch (id) {
    // Node loads mathjs' single-file build; the bundle takes the same version through esbuild.
    case 'mathjs/lib/browser/math.js':
      return require('mathjs');
    case 'nerdamer-prime/all':
      return require('nerdamer-prime/all');
    default:
      throw new Error(`the explorer bundle does not include ${id}`);
  }
}
