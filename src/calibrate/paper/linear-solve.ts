/**
 * Solves A x = b for a small square A by Gaussian elimination with partial pivoting
 * (Golub and Van Loan, Matrix Computations, 3.4). Returns undefined when A is singular
 * to working precision (a pivot below 1e-12 of the largest entry): the caller says
 * which parameter the data cannot pin down.
 */
export function solveLinear(A: readonly (readonly number[])[], b: readonly number[]): number[] | undefined {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]]);
  const scale = Math.max(...A.flat().map(Math.abs));
  if (!(scale > 0)) return undefined;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12 * scale) return undefined;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}
