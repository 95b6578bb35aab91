/**
 * Whether this page (or worker) can run tfjs on WebGPU, and if not, why: the sentence `auto`'s
 * reason shows for a skipped `webgpu` candidate. Checked before tfjs-backend-webgpu is imported,
 * so a page without WebGPU never loads it.
 */

/** The part of `navigator` this reads (a fake in tests). */
export interface GpuNavigator {
  gpu?: { requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<unknown> };
}

/** Ms `requestAdapter` may take before WebGPU counts as unavailable (a hung driver must not stall the choice). */
export const ADAPTER_TIMEOUT_MS = 5000;

/** Why WebGPU cannot run here, or null when an adapter answered. Never throws. */
export async function webgpuUnavailable(nav: GpuNavigator | undefined, timeoutMs = ADAPTER_TIMEOUT_MS): Promise<string | null> {
  if (!nav?.gpu) return 'no navigator.gpu in this browser (WebGPU unsupported or off)';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const adapter = await Promise.race([
      nav.gpu.requestAdapter({ powerPreference: 'high-performance' }),
      new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); }),
    ]);
    if (adapter === 'timeout') return `navigator.gpu.requestAdapter() did not answer in ${timeoutMs} ms`;
    return adapter ? null : 'navigator.gpu has no adapter (no usable GPU, or blocked)';
  } catch (err) {
    return `navigator.gpu.requestAdapter() failed (${(err as Error).message})`;
  } finally {
    clearTimeout(timer);
  }
}
