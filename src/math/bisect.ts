/**
 * A zero of u between a and b, where u(a) = ua and u(b) have opposite signs: bisection until the
 * bracket is narrower than `relativeWidth`·max(1, |a|) (at most 200 halvings), or a midpoint where u
 * is exactly 0.
 *
 * @example
 * ```ts
 * bisect((x) => x * x - 2, 1, 2, -1); // √2 to about 4 ulps
 * ```
 */
export function bisect(u: (x: number) => number, a: number, b: number, ua: number, relativeWidth = 4 * Number.EPSILON): number {
  for (let i = 0; i < 200 && b - a > relativeWidth * Math.max(1, Math.abs(a)); i++) {
    const middle = (a + b) / 2;
    const um = u(middle);
    if (um === 0) return middle;
    if (Math.sign(um) === Math.sign(ua)) {
      a = middle;
      ua = um;
    } else b = middle;
  }
  return (a + b) / 2;
}
