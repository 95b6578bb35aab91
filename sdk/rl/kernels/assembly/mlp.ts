/**
 * WebAssembly SIMD kernels for the actor and critic MLPs (AssemblyScript, built by
 * `npm run build:kernels`). kernels-engine.ts lays out every buffer in one linear memory and
 * calls these with byte addresses; nothing here allocates.
 *
 * Shapes: matrices are row-major with a row stride (in floats) rounded up to a multiple of 4, so
 * a row is whole f32x4 vectors. Padding is never summed over: products reduce over the true
 * width `k`, and the engine copies out only true columns, so what padding holds does not matter
 * (it is zero in weights and biases, which keeps it zero in activations). Kernels that walk batch
 * rows in blocks of 4 take a row count rounded up to 4: the extra rows compute values nobody
 * reads (the engine only reads rows < batch, and sums over the batch stop at `batch`).
 */

// tanh(x) ≈ x·P(x²)/Q(x²) on x clamped to ±7.905 (beyond it tanh rounds to ±1 in float32): the
// rational approximation of Eigen's generic_fast_tanh_float, P and Q evaluated with Estrin's
// scheme (shorter dependency chains than Horner's). In float32 without FMA, as here, its max abs
// error over [-12, 12] is 3.6e-7 (kernels-engine.test.ts measures it). No exp, no lane-wise
// branches: four lanes cost one f32x4.div.
const CLAMP: f32 = 7.90531110763549805;
const A1: f32 = 4.89352455891786e-3;
const A3: f32 = 6.37261928875436e-4;
const A5: f32 = 1.48572235717979e-5;
const A7: f32 = 5.12229709037114e-8;
const A9: f32 = -8.60467152213735e-11;
const A11: f32 = 2.00018790482477e-13;
const A13: f32 = -2.76076847742355e-16;
const B0: f32 = 4.89352518554385e-3;
const B2: f32 = 2.268434632439e-3;
const B4: f32 = 1.18534705686654e-4;
const B6: f32 = 1.19825839466702e-6;

// The constants as splatted vectors in a data segment: V8 builds a v128.const from immediates with
// several instructions at every use, while a load from here is one. Measured for 32k tanh: 78 µs
// with v128.const and Horner, 58 µs with these loads, 50 µs with Estrin's scheme on top.
const K = memory.data<f32>([
  -CLAMP, -CLAMP, -CLAMP, -CLAMP, CLAMP, CLAMP, CLAMP, CLAMP,
  A1, A1, A1, A1, A3, A3, A3, A3, A5, A5, A5, A5, A7, A7, A7, A7,
  A9, A9, A9, A9, A11, A11, A11, A11, A13, A13, A13, A13,
  B0, B0, B0, B0, B2, B2, B2, B2, B4, B4, B4, B4, B6, B6, B6, B6,
  1, 1, 1, 1,
], 16);
// @ts-ignore: decorator
@inline function kv(offset: usize): v128 {
  return v128.load(K + offset);
}
const K_LO: usize = 0;
const K_HI: usize = 16;
const K_A1: usize = 32;
const K_A3: usize = 48;
const K_A5: usize = 64;
const K_A7: usize = 80;
const K_A9: usize = 96;
const K_A11: usize = 112;
const K_A13: usize = 128;
const K_B0: usize = 144;
const K_B2: usize = 160;
const K_B4: usize = 176;
const K_B6: usize = 192;
const K_ONE: usize = 208;

/** The first address the engine may use: the constants above live below it. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function tanh4(v: v128): v128 {
  // min/max propagate NaN, so a NaN input stays NaN instead of clamping to ±1.
  const x = f32x4.min(f32x4.max(v, kv(K_LO)), kv(K_HI));
  const y = f32x4.mul(x, x);
  const y2 = f32x4.mul(y, y);
  const y4 = f32x4.mul(y2, y2);
  // P(y) = (a1 + a3·y) + y²·(a5 + a7·y) + y⁴·(a9 + a11·y + a13·y²)
  const p01 = madd(y, kv(K_A3), kv(K_A1));
  const p23 = madd(y, kv(K_A7), kv(K_A5));
  const p456 = madd(y2, kv(K_A13), madd(y, kv(K_A11), kv(K_A9)));
  const p = f32x4.mul(x, madd(y4, p456, madd(y2, p23, p01)));
  // Q(y) = (b0 + b2·y) + y²·(b4 + b6·y)
  const q = madd(y2, madd(y, kv(K_B6), kv(K_B4)), madd(y, kv(K_B2), kv(K_B0)));
  return f32x4.div(p, q);
}

/** tanh of `n` floats (n a multiple of 4) from `x` to `y`; for the accuracy test. */
export function tanh(x: usize, y: usize, n: i32): void {
  for (let k = 0; k < n; k += 4) {
    const o = <usize>k << 2;
    v128.store(y + o, tanh4(v128.load(x + o)));
  }
}

const LINEAR = 0;
const TANH = 1;
const TANH_GRAD = 2;

// What to do with a finished 4-wide block of x·W: add the bias (LINEAR), add the bias and squash
// (TANH), or, in the backward pass, multiply by tanh'(z) = 1 − h² of the layer's input (TANH_GRAD).
// @ts-ignore: decorator
@inline function finish(acc: v128, mode: i32, bias: v128, h: usize): v128 {
  if (mode == TANH_GRAD) {
    const hv = v128.load(h);
    return f32x4.mul(acc, f32x4.sub(kv(K_ONE), f32x4.mul(hv, hv)));
  }
  const z = f32x4.add(acc, bias);
  return mode == TANH ? tanh4(z) : z;
}

/**
 * y[rows × n] = finish(x[rows × k] · w[k × n]): x has row stride `xs`, w and y have row stride
 * `n` (a multiple of 4), `rows` is a multiple of 4. `b` is the bias (n floats), unused for
 * TANH_GRAD; `h` (row stride n) is the tanh output whose derivative TANH_GRAD multiplies by.
 *
 * Register blocking: 4 rows × 8 columns of y live in 8 vector accumulators while k runs, so each
 * weight vector loaded serves 4 rows and each broadcast input serves 8 columns.
 */
function gemm(x: usize, w: usize, b: usize, h: usize, y: usize, rows: i32, k: i32, xs: i32, n: i32, mode: i32): void {
  const xRow = <usize>xs << 2;
  const yRow = <usize>n << 2;
  for (let r = 0; r < rows; r += 4) {
    const x0 = x + <usize>r * xRow;
    const x1 = x0 + xRow;
    const x2 = x1 + xRow;
    const x3 = x2 + xRow;
    const yr = <usize>r * yRow;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const jo = <usize>j << 2;
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a10 = f32x4.splat(0), a11 = f32x4.splat(0);
      let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a30 = f32x4.splat(0), a31 = f32x4.splat(0);
      let wp = w + jo;
      for (let i = 0; i < k; i++) {
        const io = <usize>i << 2;
        const w0 = v128.load(wp);
        const w1 = v128.load(wp, 16);
        const s0 = v128.load32_splat(x0 + io);
        const s1 = v128.load32_splat(x1 + io);
        const s2 = v128.load32_splat(x2 + io);
        const s3 = v128.load32_splat(x3 + io);
        a00 = madd(s0, w0, a00); a01 = madd(s0, w1, a01);
        a10 = madd(s1, w0, a10); a11 = madd(s1, w1, a11);
        a20 = madd(s2, w0, a20); a21 = madd(s2, w1, a21);
        a30 = madd(s3, w0, a30); a31 = madd(s3, w1, a31);
        wp += yRow;
      }
      const b0 = mode == TANH_GRAD ? f32x4.splat(0) : v128.load(b + jo);
      const b1 = mode == TANH_GRAD ? f32x4.splat(0) : v128.load(b + jo, 16);
      const p = yr + jo;
      v128.store(y + p, finish(a00, mode, b0, h + p));
      v128.store(y + p, finish(a01, mode, b1, h + p + 16), 16);
      v128.store(y + p + yRow, finish(a10, mode, b0, h + p + yRow));
      v128.store(y + p + yRow, finish(a11, mode, b1, h + p + yRow + 16), 16);
      v128.store(y + p + 2 * yRow, finish(a20, mode, b0, h + p + 2 * yRow));
      v128.store(y + p + 2 * yRow, finish(a21, mode, b1, h + p + 2 * yRow + 16), 16);
      v128.store(y + p + 3 * yRow, finish(a30, mode, b0, h + p + 3 * yRow));
      v128.store(y + p + 3 * yRow, finish(a31, mode, b1, h + p + 3 * yRow + 16), 16);
    }
    if (j < n) {
      // The last 4 columns when n is not a multiple of 8 (heads: 1–4 outputs pad to 4).
      const jo = <usize>j << 2;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let wp = w + jo;
      for (let i = 0; i < k; i++) {
        const io = <usize>i << 2;
        const w0 = v128.load(wp);
        a0 = madd(v128.load32_splat(x0 + io), w0, a0);
        a1 = madd(v128.load32_splat(x1 + io), w0, a1);
        a2 = madd(v128.load32_splat(x2 + io), w0, a2);
        a3 = madd(v128.load32_splat(x3 + io), w0, a3);
        wp += yRow;
      }
      const b0 = mode == TANH_GRAD ? f32x4.splat(0) : v128.load(b + jo);
      const p = yr + jo;
      v128.store(y + p, finish(a0, mode, b0, h + p));
      v128.store(y + p + yRow, finish(a1, mode, b0, h + p + yRow));
      v128.store(y + p + 2 * yRow, finish(a2, mode, b0, h + p + 2 * yRow));
      v128.store(y + p + 3 * yRow, finish(a3, mode, b0, h + p + 3 * yRow));
    }
  }
}

/** Hidden layer: y = tanh(x·W + b). */
export function denseTanh(x: usize, w: usize, b: usize, y: usize, rows: i32, k: i32, xs: i32, n: i32): void {
  gemm(x, w, b, 0, y, rows, k, xs, n, TANH);
}

/** Output layer: y = x·W + b. */
export function denseLinear(x: usize, w: usize, b: usize, y: usize, rows: i32, k: i32, xs: i32, n: i32): void {
  gemm(x, w, b, 0, y, rows, k, xs, n, LINEAR);
}

/**
 * Back through a layer into a tanh layer below it: dh = (dz · Wᵀ) ⊙ (1 − h²), with `wT` the
 * transposed weights [k × n] (k = the layer's outputs, n = its padded inputs), `dz` of row
 * stride `dzs`, `h` and `dh` of row stride n.
 */
export function backTanh(dz: usize, wT: usize, h: usize, dh: usize, rows: i32, k: i32, dzs: i32, n: i32): void {
  gemm(dz, wT, 0, h, dh, rows, k, dzs, n, TANH_GRAD);
}

/**
 * dW[m × n] = xᵀ · dz over `batch` rows, and db[n] = Σ_rows dz: x has row stride m (a multiple
 * of 4), dz and dW row stride n (a multiple of 4). Blocks of 4 rows of dW × 4 or 8 columns stay
 * in registers while the batch streams through once per block.
 */
export function gradients(x: usize, dz: usize, dW: usize, db: usize, batch: i32, m: i32, n: i32): void {
  const xRow = <usize>m << 2;
  const zRow = <usize>n << 2;
  for (let i = 0; i < m; i += 4) {
    const io = <usize>i << 2;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const jo = <usize>j << 2;
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a10 = f32x4.splat(0), a11 = f32x4.splat(0);
      let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a30 = f32x4.splat(0), a31 = f32x4.splat(0);
      let xp = x + io;
      let zp = dz + jo;
      for (let r = 0; r < batch; r++) {
        const z0 = v128.load(zp);
        const z1 = v128.load(zp, 16);
        const s0 = v128.load32_splat(xp);
        const s1 = v128.load32_splat(xp, 4);
        const s2 = v128.load32_splat(xp, 8);
        const s3 = v128.load32_splat(xp, 12);
        a00 = madd(s0, z0, a00); a01 = madd(s0, z1, a01);
        a10 = madd(s1, z0, a10); a11 = madd(s1, z1, a11);
        a20 = madd(s2, z0, a20); a21 = madd(s2, z1, a21);
        a30 = madd(s3, z0, a30); a31 = madd(s3, z1, a31);
        xp += xRow;
        zp += zRow;
      }
      const p = dW + <usize>i * zRow + jo;
      v128.store(p, a00); v128.store(p, a01, 16);
      v128.store(p + zRow, a10); v128.store(p + zRow, a11, 16);
      v128.store(p + 2 * zRow, a20); v128.store(p + 2 * zRow, a21, 16);
      v128.store(p + 3 * zRow, a30); v128.store(p + 3 * zRow, a31, 16);
    }
    if (j < n) {
      const jo = <usize>j << 2;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let xp = x + io;
      let zp = dz + jo;
      for (let r = 0; r < batch; r++) {
        const z0 = v128.load(zp);
        a0 = madd(v128.load32_splat(xp), z0, a0);
        a1 = madd(v128.load32_splat(xp, 4), z0, a1);
        a2 = madd(v128.load32_splat(xp, 8), z0, a2);
        a3 = madd(v128.load32_splat(xp, 12), z0, a3);
        xp += xRow;
        zp += zRow;
      }
      const p = dW + <usize>i * zRow + jo;
      v128.store(p, a0);
      v128.store(p + zRow, a1);
      v128.store(p + 2 * zRow, a2);
      v128.store(p + 3 * zRow, a3);
    }
  }
  for (let j = 0; j < n; j += 4) {
    const jo = <usize>j << 2;
    let acc = f32x4.splat(0);
    let zp = dz + jo;
    for (let r = 0; r < batch; r++) {
      acc = f32x4.add(acc, v128.load(zp));
      zp += zRow;
    }
    v128.store(db + jo, acc);
  }
}

/** Copies a rows × cols block of floats between row strides (to and from the padded layout). */
export function copy(src: usize, dst: usize, rows: i32, cols: i32, srcStride: i32, dstStride: i32): void {
  const bytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + ((<usize>r * dstStride) << 2), src + ((<usize>r * srcStride) << 2), bytes);
  }
}

/** dst[c][r] = src[r][c] for a rows × cols block, with the given row strides. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32, srcStride: i32, dstStride: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + ((<usize>c * dstStride + r) << 2), load<f32>(src + ((<usize>r * srcStride + c) << 2)));
    }
  }
}

/**
 * One Adam step (PyTorch's: bias-corrected, ε added to √v̂) on `n` floats (a multiple of 4), in
 * float32: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − stepSize·m / (√v / sqrtBc2 + ε),
 * where stepSize = lr / (1 − β1ᵗ) and sqrtBc2 = √(1 − β2ᵗ). Gradient clipping stays with the
 * caller (adam.ts), which has the norm already.
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, stepSize: f32, sqrtBc2: f32, eps: f32, beta1: f32, beta2: f32): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const c1 = f32x4.splat(<f32>1 - beta1);
  const c2 = f32x4.splat(<f32>1 - beta2);
  const step = f32x4.splat(stepSize);
  const bc2 = f32x4.splat(sqrtBc2);
  const e = f32x4.splat(eps);
  for (let k = 0; k < n; k += 4) {
    const o = <usize>k << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), bc2), e);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(step, mi), denom)));
  }
}
