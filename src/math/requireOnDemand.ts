/**
 * Loads a CommonJS package synchronously, on first use, from ESM: the way heavy libraries (mathjs,
 * nerdamer) stay out of every command's start-up although their callers are synchronous.
 *
 * - bundled for the browser (the explorer): esbuild sees `require(id)` and bundles it, so the
 *   `typeof require` branch runs;
 * - in Node's ESM there is no `require`, so it comes from `process.getBuiltinModule('node:module')`
 *   (Node ≥ 20.16; https://nodejs.org/api/process.html#processgetbuiltinmoduleid), resolving `id`
 *   from `from` (the caller's import.meta.url).
 */
interface NodeModuleBuiltin {
  createRequire(url: string): (id: string) => unknown;
}

export function requireOnDemand(id: string, from: string): unknown {
  if (typeof require === 'function') return require(id);
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; version?: string } }).process;
  const getBuiltin = processLike?.getBuiltinModule;
  if (typeof getBuiltin !== 'function') {
    throw new Error(`varprop needs Node 20.16 or newer to load ${id} on demand (this is ${String(processLike?.version)})`);
  }
  return (getBuiltin('node:module') as NodeModuleBuiltin).createRequire(from)(id);
}
