/**
 * mathjs, loaded on first use rather than at import time.
 *
 * Why: `import ... from 'mathjs'` evaluates mathjs' whole ESM tree (≈1,000 files, every function
 * built through typed-function) the moment any module of ours that mentions it is imported. That was
 * ≈0.5 s of every command's start-up on a quiet machine — `varprop --help`, `fans`, `sample`, and
 * each Monte Carlo worker — although only expressions (custom activations, an init's variance
 * formula, the derivation's checks) ever call it. The functions below have mathjs' own signatures
 * and load it the first time one of them runs.
 *
 * How, synchronously (the callers are synchronous and stay so):
 * - bundled for the browser (the explorer): esbuild sees `require('mathjs')` and bundles it, so the
 *   `typeof require` branch runs;
 * - in Node's ESM there is no `require`, so it comes from `process.getBuiltinModule('node:module')`
 *   (Node ≥ 20.16; https://nodejs.org/api/process.html#processgetbuiltinmoduleid). That loads the
 *   CommonJS build (mathjs' `require` export condition): the same version and code as the ESM build,
 *   ≈25 % faster to load because the CJS loader resolves fewer files.
 * One instance serves every caller, so nodes made by `parse` here are understood by `compile` here.
 */
import type * as MathJs from 'mathjs';
import { requireOnDemand } from './requireOnDemand.js';

type MathJsModule = typeof MathJs;

let loaded: MathJsModule | undefined;

/** The mathjs module, loaded on the first call. */
export function mathjs(): MathJsModule {
  // mathjs' single-file build (an official export of the same version, `mathjs/lib/browser/math.js`):
  // one file to parse instead of ≈1,000 CommonJS modules, ≈3× faster to load in Node.
  if (!loaded) {
    const module = requireOnDemand('mathjs/lib/browser/math.js', import.meta.url) as MathJs.MathJsInstance & { all: MathJs.FactoryFunctionMap };
    // mathjs' default tolerances (absTol 1e-15, relTol 1e-12) make `simplify` treat constants as
    // equal when they are merely close: 1e-30 became 0 (φ′ of 1 + 1e-30·x was 0) and
    // 2.0000000000002 became 2. Constants stay exact: equal means equal to the last bit
    // (relTol must be positive in mathjs' nearlyEqual, so one machine epsilon).
    const exact = { absTol: 0, relTol: Number.EPSILON };
    try {
      module.config(exact);
      loaded = module as unknown as MathJsModule;
    } catch {
      // The ES-module build's default instance has a read-only config (the explorer's bundle):
      // an instance of our own carries the same settings.
      loaded = module.create(module.all, exact) as unknown as MathJsModule;
    }
  }
  return loaded;
}

/** mathjs' `parse`, loading mathjs on first use. */
export const parse = ((...args: Parameters<MathJsModule['parse']>) => (mathjs().parse as (...a: unknown[]) => unknown)(...args)) as MathJsModule['parse'];
/** mathjs' `compile`, loading mathjs on first use. */
export const compile = ((...args: unknown[]) => (mathjs().compile as (...a: unknown[]) => unknown)(...args)) as MathJsModule['compile'];
/** mathjs' symbolic `derivative`, loading mathjs on first use. */
export const derivative = ((...args: unknown[]) => (mathjs().derivative as (...a: unknown[]) => unknown)(...args)) as MathJsModule['derivative'];
/** mathjs' `evaluate`, loading mathjs on first use. */
export const evaluate = ((...args: unknown[]) => (mathjs().evaluate as (...a: unknown[]) => unknown)(...args)) as MathJsModule['evaluate'];
