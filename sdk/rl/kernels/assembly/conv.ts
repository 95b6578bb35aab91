/**
 * WebAssembly SIMD kernels for the conv encoders of grid inputs (issue 16; conv-contract: square
 * kernel k, stride s, 'valid' padding, ReLU, channels-last HWC). Compiled into the same module as
 * mlp.ts (build.ts); kernels-conv.ts lays out the buffers and calls these with byte addresses.
 *
 * Layout. A layer's input is rows of `inH × inW` cells with a channel stride `cs` (floats per
 * cell): the observation's true channel count for the first layer (its rows are the observation
 * rows, stride `xStride`), and the layer below's padded output width for the others. Outputs are
 * `positions × nPad` (nPad = outC rounded up to 4), positions = batch·outH·outW in (n, oy, ox)
 * order, so a layer's output is the next one's input with cs = nPad. Weights are W' [k·k·cs ×
 * nPad]: the contract's [kh][kw][inC][outC] with zero rows for padding channels and zero padding
 * columns (so padding lanes of every output stay 0).
 *
 * Why no im2col: with HWC, one kernel row (ky) of a patch is k·cs contiguous floats of the input,
 * and the matching k·cs rows of W' are contiguous too, so each output position is k dot products
 * over contiguous runs; the patch matrix is never materialised.
 */

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Float offset of position p's patch corner in the input: n·xStride + (oy·s·inW + ox·s)·cs. */
// @ts-ignore: decorator
@inline function corner(p: i32, area: i32, outW: i32, xStride: i32, inW: i32, cs: i32, s: i32): i32 {
  const n = p / area;
  const r = p - n * area;
  const oy = r / outW;
  const ox = r - oy * outW;
  return n * xStride + (oy * s * inW + ox * s) * cs;
}

/**
 * y[positions × nPad] = ReLU(patches · W' + b). Positions go in blocks of 4 (the last block
 * repeats the last position, so y needs room for positions rounded up to 4) × 8 or 4 channels
 * kept in registers while the patch streams through.
 */
export function convRelu(x: usize, w: usize, b: usize, y: usize, batch: i32, xStride: i32, inW: i32, cs: i32,
  k: i32, s: i32, outH: i32, outW: i32, nPad: i32): void {
  const area = outH * outW;
  const P = batch * area;
  const run = k * cs;
  const inRow = <usize>(inW * cs) << 2;
  const wRow = <usize>nPad << 2;
  const yRow = wRow;
  const zero = f32x4.splat(0);
  for (let p = 0; p < P; p += 4) {
    const last = P - 1;
    const c0 = x + (<usize>corner(p, area, outW, xStride, inW, cs, s) << 2);
    const c1 = x + (<usize>corner(min(p + 1, last), area, outW, xStride, inW, cs, s) << 2);
    const c2 = x + (<usize>corner(min(p + 2, last), area, outW, xStride, inW, cs, s) << 2);
    const c3 = x + (<usize>corner(min(p + 3, last), area, outW, xStride, inW, cs, s) << 2);
    const yp = y + <usize>p * yRow;
    let j = 0;
    for (; j + 8 <= nPad; j += 8) {
      const jo = <usize>j << 2;
      let a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero, a30 = zero, a31 = zero;
      let wp = w + jo;
      for (let ky = 0; ky < k; ky++) {
        const ro = <usize>ky * inRow;
        const x0 = c0 + ro, x1 = c1 + ro, x2 = c2 + ro, x3 = c3 + ro;
        for (let t = 0; t < run; t++) {
          const to = <usize>t << 2;
          const w0 = v128.load(wp);
          const w1 = v128.load(wp, 16);
          const s0 = v128.load32_splat(x0 + to);
          const s1 = v128.load32_splat(x1 + to);
          const s2 = v128.load32_splat(x2 + to);
          const s3 = v128.load32_splat(x3 + to);
          a00 = madd(s0, w0, a00); a01 = madd(s0, w1, a01);
          a10 = madd(s1, w0, a10); a11 = madd(s1, w1, a11);
          a20 = madd(s2, w0, a20); a21 = madd(s2, w1, a21);
          a30 = madd(s3, w0, a30); a31 = madd(s3, w1, a31);
          wp += wRow;
        }
      }
      const b0 = v128.load(b + jo);
      const b1 = v128.load(b + jo, 16);
      const q = yp + jo;
      v128.store(q, f32x4.max(f32x4.add(a00, b0), zero));
      v128.store(q, f32x4.max(f32x4.add(a01, b1), zero), 16);
      v128.store(q + yRow, f32x4.max(f32x4.add(a10, b0), zero));
      v128.store(q + yRow, f32x4.max(f32x4.add(a11, b1), zero), 16);
      v128.store(q + 2 * yRow, f32x4.max(f32x4.add(a20, b0), zero));
      v128.store(q + 2 * yRow, f32x4.max(f32x4.add(a21, b1), zero), 16);
      v128.store(q + 3 * yRow, f32x4.max(f32x4.add(a30, b0), zero));
      v128.store(q + 3 * yRow, f32x4.max(f32x4.add(a31, b1), zero), 16);
    }
    if (j < nPad) {
      const jo = <usize>j << 2;
      let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
      let wp = w + jo;
      for (let ky = 0; ky < k; ky++) {
        const ro = <usize>ky * inRow;
        const x0 = c0 + ro, x1 = c1 + ro, x2 = c2 + ro, x3 = c3 + ro;
        for (let t = 0; t < run; t++) {
          const to = <usize>t << 2;
          const w0 = v128.load(wp);
          a0 = madd(v128.load32_splat(x0 + to), w0, a0);
          a1 = madd(v128.load32_splat(x1 + to), w0, a1);
          a2 = madd(v128.load32_splat(x2 + to), w0, a2);
          a3 = madd(v128.load32_splat(x3 + to), w0, a3);
          wp += wRow;
        }
      }
      const b0 = v128.load(b + jo);
      const q = yp + jo;
      v128.store(q, f32x4.max(f32x4.add(a0, b0), zero));
      v128.store(q + yRow, f32x4.max(f32x4.add(a1, b0), zero));
      v128.store(q + 2 * yRow, f32x4.max(f32x4.add(a2, b0), zero));
      v128.store(q + 3 * yRow, f32x4.max(f32x4.add(a3, b0), zero));
    }
  }
}

/**
 * dW'[K × nPad] = Σ_positions patchᵀ · dz and db[nPad] = Σ_positions dz, K = k·k·cs (dW' has
 * room for K rounded up to 4 rows; rows past K hold copies of row K−1, unread). dz is
 * [positions × nPad], the gradient at the layer's pre-ReLU output. Blocks of 4 patch entries ×
 * 8 or 4 channels stay in registers while all positions stream through.
 */
export function convGradients(x: usize, dz: usize, dW: usize, db: usize, batch: i32, xStride: i32, inW: i32, cs: i32,
  k: i32, s: i32, outH: i32, outW: i32, nPad: i32): void {
  const run = k * cs;
  const K = k * run;
  const zRow = <usize>nPad << 2;
  const xStep = <usize>(s * cs) << 2;
  for (let i = 0; i < K; i += 4) {
    // A patch entry i = ky·run + t sits at ky·inW·cs + t floats from the patch corner.
    const i1 = min(i + 1, K - 1), i2 = min(i + 2, K - 1), i3 = min(i + 3, K - 1);
    const o0 = <usize>((i / run) * inW * cs + i % run) << 2;
    const o1 = <usize>((i1 / run) * inW * cs + i1 % run) << 2;
    const o2 = <usize>((i2 / run) * inW * cs + i2 % run) << 2;
    const o3 = <usize>((i3 / run) * inW * cs + i3 % run) << 2;
    let j = 0;
    for (; j + 8 <= nPad; j += 8) {
      const jo = <usize>j << 2;
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a10 = f32x4.splat(0), a11 = f32x4.splat(0);
      let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a30 = f32x4.splat(0), a31 = f32x4.splat(0);
      let zp = dz + jo;
      for (let n = 0; n < batch; n++) {
        for (let oy = 0; oy < outH; oy++) {
          let xp = x + (<usize>(n * xStride + oy * s * inW * cs) << 2);
          for (let ox = 0; ox < outW; ox++) {
            const z0 = v128.load(zp);
            const z1 = v128.load(zp, 16);
            const s0 = v128.load32_splat(xp + o0);
            const s1 = v128.load32_splat(xp + o1);
            const s2 = v128.load32_splat(xp + o2);
            const s3 = v128.load32_splat(xp + o3);
            a00 = madd(s0, z0, a00); a01 = madd(s0, z1, a01);
            a10 = madd(s1, z0, a10); a11 = madd(s1, z1, a11);
            a20 = madd(s2, z0, a20); a21 = madd(s2, z1, a21);
            a30 = madd(s3, z0, a30); a31 = madd(s3, z1, a31);
            xp += xStep;
            zp += zRow;
          }
        }
      }
      const q = dW + <usize>i * zRow + jo;
      v128.store(q, a00); v128.store(q, a01, 16);
      v128.store(q + zRow, a10); v128.store(q + zRow, a11, 16);
      v128.store(q + 2 * zRow, a20); v128.store(q + 2 * zRow, a21, 16);
      v128.store(q + 3 * zRow, a30); v128.store(q + 3 * zRow, a31, 16);
    }
    if (j < nPad) {
      const jo = <usize>j << 2;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let zp = dz + jo;
      for (let n = 0; n < batch; n++) {
        for (let oy = 0; oy < outH; oy++) {
          let xp = x + (<usize>(n * xStride + oy * s * inW * cs) << 2);
          for (let ox = 0; ox < outW; ox++) {
            const z0 = v128.load(zp);
            a0 = madd(v128.load32_splat(xp + o0), z0, a0);
            a1 = madd(v128.load32_splat(xp + o1), z0, a1);
            a2 = madd(v128.load32_splat(xp + o2), z0, a2);
            a3 = madd(v128.load32_splat(xp + o3), z0, a3);
            xp += xStep;
            zp += zRow;
          }
        }
      }
      const q = dW + <usize>i * zRow + jo;
      v128.store(q, a0); v128.store(q + zRow, a1); v128.store(q + 2 * zRow, a2); v128.store(q + 3 * zRow, a3);
    }
  }
  const P = batch * outH * outW;
  for (let j = 0; j < nPad; j += 4) {
    const jo = <usize>j << 2;
    let acc = f32x4.splat(0);
    let zp = dz + jo;
    for (let p = 0; p < P; p++) {
      acc = f32x4.add(acc, v128.load(zp));
      zp += zRow;
    }
    v128.store(db + jo, acc);
  }
}

/**
 * The gradient at a layer's input: dIn[batch × inH·inW·cs] = Σ over the patches covering each
 * input cell of dz · W'ᵀ, with wT = W'ᵀ [outC × K] (K = k·k·cs, cs a multiple of 4). Overwrites
 * dIn (cells no patch covers get 0). Each patch row's k·cs floats of dIn take their sum in
 * registers, 16 floats at a time, over the outC channels.
 */
export function convBackInput(dz: usize, wT: usize, dIn: usize, batch: i32, inH: i32, inW: i32, cs: i32,
  k: i32, s: i32, outH: i32, outW: i32, outC: i32, nPad: i32): void {
  const inSize = inH * inW * cs;
  memory.fill(dIn, 0, (<usize>batch * inSize) << 2);
  const run = k * cs;
  const K = k * run;
  const kRow = <usize>K << 2;
  const inRow = <usize>(inW * cs) << 2;
  const zRow = <usize>nPad << 2;
  let zp = dz;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const base = dIn + (<usize>(n * inSize + (oy * s * inW + ox * s) * cs) << 2);
        for (let ky = 0; ky < k; ky++) {
          const seg = base + <usize>ky * inRow;
          const wRow = wT + (<usize>(ky * run) << 2);
          let t = 0;
          for (; t + 16 <= run; t += 16) {
            const to = <usize>t << 2;
            let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
            let wp = wRow + to;
            for (let c = 0; c < outC; c++) {
              const d = v128.load32_splat(zp + (<usize>c << 2));
              a0 = madd(d, v128.load(wp), a0);
              a1 = madd(d, v128.load(wp, 16), a1);
              a2 = madd(d, v128.load(wp, 32), a2);
              a3 = madd(d, v128.load(wp, 48), a3);
              wp += kRow;
            }
            const q = seg + to;
            v128.store(q, f32x4.add(v128.load(q), a0));
            v128.store(q, f32x4.add(v128.load(q, 16), a1), 16);
            v128.store(q, f32x4.add(v128.load(q, 32), a2), 32);
            v128.store(q, f32x4.add(v128.load(q, 48), a3), 48);
          }
          for (; t < run; t += 4) {
            const to = <usize>t << 2;
            let a0 = f32x4.splat(0);
            let wp = wRow + to;
            for (let c = 0; c < outC; c++) {
              a0 = madd(v128.load32_splat(zp + (<usize>c << 2)), v128.load(wp), a0);
              wp += kRow;
            }
            const q = seg + to;
            v128.store(q, f32x4.add(v128.load(q), a0));
          }
        }
        zp += zRow;
      }
    }
  }
}

/** g = h > 0 ? g : 0 over n floats (a multiple of 4): back through a ReLU whose output is h. */
export function reluMask(g: usize, h: usize, n: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(h + o), zero)));
  }
}
