/**
 * tfjs backends inside a browser worker: webgpu (where the browser has an adapter), webgl
 * (OffscreenCanvas + WebGL2), wasm, cpu.
 * The .wasm binaries come from the bundler (`?url` imports), so they load from wherever the
 * page's build put them.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendSelector } from './learner-host.js';
import { webgpuUnavailable, type GpuNavigator } from './webgpu-probe.js';

let wasmConfigured = false;

/**
 * tfjs-backend-webgpu, imported on first use (its own chunk): registering it is all the import
 * does, and pages without WebGPU never load it. One import per worker, shared by every learner.
 */
const webgpu = { registered: null as Promise<unknown> | null };

export const browserBackends: BackendSelector = {
  // webgpu and webgl last: their first update compiles shaders (seconds on SwiftShader), and the
  // bounded `auto` choice skips what is left once its time is spent; wasm and cpu are timed in
  // milliseconds. webgpu before webgl: where a page has an adapter it is a real GPU.
  candidates: ['wasm', 'cpu', 'webgpu', 'webgl'],
  async unavailable(name) {
    return name === 'webgpu' ? webgpuUnavailable(globalThis.navigator as GpuNavigator | undefined) : null;
  },
  async activate(name) {
    if (tf.getBackend() === name) return;
    if (name === 'wasm' && !wasmConfigured) {
      setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmUrl,
        'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
      });
      // tfjs builds its pthread worker from a function's source text, which a minified bundle
      // breaks (setBackend hangs). Threads buy nothing for NPC-sized matMuls, so stay single-threaded.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasmConfigured = true;
    }
    if (name === 'webgpu') {
      const missing = await webgpuUnavailable(globalThis.navigator as GpuNavigator | undefined);
      if (missing !== null) throw new Error(`webgpu: ${missing}`);
      webgpu.registered ??= import('@tensorflow/tfjs-backend-webgpu');
      await webgpu.registered;
    }
    if (name === 'webgl' && typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
      throw new Error('no OffscreenCanvas in this worker');
    }
    const ok = await Promise.race([
      tf.setBackend(name),
      new Promise<boolean>((_, reject) => setTimeout(() => reject(new Error('timed out after 20 s')), 20_000)),
    ]);
    if (!ok) throw new Error('setBackend returned false');
    await tf.ready();
  },
};
