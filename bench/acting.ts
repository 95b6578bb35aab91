/**
 * `npx tsx bench/acting.ts`: the acting forward pass (actor + critic, what `Policy.act` runs per
 * decision) in CPU microseconds per call, for CartPole's and chase's shapes. Prints figures,
 * asserts nothing.
 *
 * It interleaves `forwardMlp` with the float32-accumulating version it replaced (kept here only as
 * the baseline) in one process, rounds of each in turn, and reports the median round in process
 * CPU time, so a shared, noisy machine slows both alike. For the next step it also times the
 * kernels engine's WASM SIMD forward (KernelsEngine.forward, actor and critic in one call) on the
 * same rows, and the acting path Policy now takes where the kernels load (KernelsForward: the
 * weights copied in from the flat vector at every call, actor and critic in two calls).
 *
 * Options: --rounds 15  --calls 20000 (per round)
 */
import { parseArgs } from 'node:util';
import { ActorCriticLayout, forwardMlp, widestLayer, type LayerSlice } from '../sdk/rl/network.js';
import { Rng } from '../sdk/core/rng.js';
import { KernelsEngine } from '../sdk/rl/kernels-engine.js';
import { KernelsForward } from '../sdk/rl/kernels-forward.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, calls: { type: 'string', default: '20000' } } });
const rounds = Number(values.rounds);
const calls = Number(values.calls);

type Forward = typeof forwardMlp;

/** The baseline: forwardMlp before this bench, `Math.fround` on every multiply-add. */
const forwardFround: Forward = (params, layers, x, batch, out, scratch) => {
  const f = Math.fround;
  let input = x;
  for (let l = 0; l < layers.length; l++) {
    const { inSize, outSize, w, b } = layers[l]!;
    const last = l === layers.length - 1;
    const y = last ? out : scratch[l % 2]!;
    for (let n = 0; n < batch; n += 2) {
      const m = n + 1 < batch ? n + 1 : n;
      const x0 = n * inSize, x1 = m * inSize, y0 = n * outSize, y1 = m * outSize;
      let j = 0;
      for (; j + 4 <= outSize; j += 4) {
        let a0 = params[b + j]!, a1 = params[b + j + 1]!, a2 = params[b + j + 2]!, a3 = params[b + j + 3]!;
        let c0 = a0, c1 = a1, c2 = a2, c3 = a3;
        for (let i = 0, r = w + j; i < inSize; i++, r += outSize) {
          const xa = input[x0 + i]!, xb = input[x1 + i]!;
          const w0 = params[r]!, w1 = params[r + 1]!, w2 = params[r + 2]!, w3 = params[r + 3]!;
          a0 = f(a0 + xa * w0); a1 = f(a1 + xa * w1); a2 = f(a2 + xa * w2); a3 = f(a3 + xa * w3);
          c0 = f(c0 + xb * w0); c1 = f(c1 + xb * w1); c2 = f(c2 + xb * w2); c3 = f(c3 + xb * w3);
        }
        if (last) {
          y[y0 + j] = a0; y[y0 + j + 1] = a1; y[y0 + j + 2] = a2; y[y0 + j + 3] = a3;
          y[y1 + j] = c0; y[y1 + j + 1] = c1; y[y1 + j + 2] = c2; y[y1 + j + 3] = c3;
        } else {
          y[y0 + j] = Math.tanh(a0); y[y0 + j + 1] = Math.tanh(a1); y[y0 + j + 2] = Math.tanh(a2); y[y0 + j + 3] = Math.tanh(a3);
          y[y1 + j] = Math.tanh(c0); y[y1 + j + 1] = Math.tanh(c1); y[y1 + j + 2] = Math.tanh(c2); y[y1 + j + 3] = Math.tanh(c3);
        }
      }
      for (; j < outSize; j++) {
        let a = params[b + j]!;
        let c = a;
        for (let i = 0, r = w + j; i < inSize; i++, r += outSize) {
          a = f(a + input[x0 + i]! * params[r]!);
          c = f(c + input[x1 + i]! * params[r]!);
        }
        y[y0 + j] = last ? a : Math.tanh(a);
        y[y1 + j] = last ? c : Math.tanh(c);
      }
    }
    input = y;
  }
};

interface Shape { name: string; obs: number; hidden: number[]; out: number; batch: number }
const SHAPES: Shape[] = [
  { name: 'cartpole 4-64-64→2, batch 4', obs: 4, hidden: [64, 64], out: 2, batch: 4 },
  { name: 'chase 130-64-64→11, batch 16', obs: 130, hidden: [64, 64], out: 11, batch: 16 },
];

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

for (const shape of SHAPES) {
  const rng = new Rng(1);
  const layout = new ActorCriticLayout(shape.obs, shape.hidden, shape.out, false);
  const params = layout.initialize(rng, 0);
  const x = Float32Array.from({ length: shape.batch * shape.obs }, () => rng.normal());
  const width = Math.max(widestLayer(layout.actor), widestLayer(layout.critic));
  const scratch: [Float32Array, Float32Array] = [new Float32Array(shape.batch * width), new Float32Array(shape.batch * width)];
  const actorOut = new Float32Array(shape.batch * shape.out);
  const valueOut = new Float32Array(shape.batch);
  const run = (fwd: Forward, actor: readonly LayerSlice[], critic: readonly LayerSlice[]): number => {
    const t0 = cpuMicros();
    for (let c = 0; c < calls; c++) {
      fwd(params, actor, x, shape.batch, actorOut, scratch);
      fwd(params, critic, x, shape.batch, valueOut, scratch);
    }
    return (cpuMicros() - t0) / calls;
  };
  const engine = new KernelsEngine(layout, shape.batch);
  engine.setParams(params);
  const runKernels = (): number => {
    const t0 = cpuMicros();
    for (let c = 0; c < calls; c++) engine.forward(x, shape.batch);
    return (cpuMicros() - t0) / calls;
  };
  const acting = new KernelsForward(layout, shape.batch);
  const runActing = (): number => {
    const t0 = cpuMicros();
    for (let c = 0; c < calls; c++) {
      acting.actor(params, x, shape.batch, actorOut);
      acting.values(params, x, shape.batch, valueOut);
    }
    return (cpuMicros() - t0) / calls;
  };
  const times: Record<'fround' | 'float64' | 'kernels' | 'acting', number[]> = { fround: [], float64: [], kernels: [], acting: [] };
  for (let r = 0; r < rounds + 2; r++) {
    const a = run(forwardFround, layout.actor, layout.critic);
    const b = run(forwardMlp, layout.actor, layout.critic);
    const k = runKernels();
    const p = runActing();
    if (r < 2) continue; // warm-up rounds
    times.acting.push(p);
    times.fround.push(a);
    times.float64.push(b);
    times.kernels.push(k);
  }
  const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1]!;
  const old = median(times.fround);
  const now = median(times.float64);
  console.log(`${shape.name}: per-MAC fround ${old.toFixed(2)} µs/call, float64 accumulation ${now.toFixed(2)} µs/call (${(old / now).toFixed(2)}× faster); kernels engine WASM SIMD ${median(times.kernels).toFixed(2)} µs/call; Policy's kernels path (weights copied in per call) ${median(times.acting).toFixed(2)} µs/call (${(now / median(times.acting)).toFixed(2)}× the JS path)`);
}
