/**
 * `checkIdentity` for `varprop/testing`: the same test the derivation engine runs on every step
 * (src/symbolic/identity.ts), exported for users' own algebraic claims.
 */
export * from '../symbolic/identity.js';
