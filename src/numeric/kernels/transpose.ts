/** Writes the transpose of `source` ([rows, cols], row-major) into `target` ([cols, rows]), in cache-sized tiles. */
export function transposeInto(source: ArrayLike<number>, target: { [index: number]: number }, rows: number, cols: number): void {
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(rows, i0 + tile);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(cols, j0 + tile);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) target[j * rows + i] = source[row + j];
      }
    }
  }
}
