import { describe, it, expect } from 'vitest';
import { webgpuUnavailable } from './webgpu-probe.js';

describe('webgpuUnavailable', () => {
  it('says why WebGPU cannot run: no navigator, no navigator.gpu, no adapter, a failing or silent requestAdapter', async () => {
    expect(await webgpuUnavailable(undefined)).toBe('no navigator.gpu in this browser (WebGPU unsupported or off)');
    expect(await webgpuUnavailable({})).toBe('no navigator.gpu in this browser (WebGPU unsupported or off)');
    expect(await webgpuUnavailable({ gpu: { requestAdapter: async () => null } })).toBe('navigator.gpu has no adapter (no usable GPU, or blocked)');
    expect(await webgpuUnavailable({ gpu: { requestAdapter: () => Promise.reject(new Error('GPU process crashed')) } }))
      .toBe('navigator.gpu.requestAdapter() failed (GPU process crashed)');
    // A requestAdapter that never settles: the timeout (1 ms here) answers, not a hang.
    expect(await webgpuUnavailable({ gpu: { requestAdapter: () => new Promise(() => {}) } }, 1)).toBe('navigator.gpu.requestAdapter() did not answer in 1 ms');
  });

  it('answers null when an adapter comes back, asking for the high-performance one', async () => {
    const asked: unknown[] = [];
    expect(await webgpuUnavailable({ gpu: { requestAdapter: async (o) => { asked.push(o); return {}; } } })).toBeNull();
    expect(asked).toEqual([{ powerPreference: 'high-performance' }]);
  });
});
