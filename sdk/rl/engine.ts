/**
 * What the PPO learner needs from a compute engine: the actor and critic forward pass on a
 * minibatch, and the backward pass from output gradients that the PPO loss head computed
 * (ppo-loss.ts). The optimizer runs on the flat parameter vector outside the engine (adam.ts),
 * so every engine trains the same way and optimizer state is plain data.
 */
import type { DeviceName, EngineName } from './metrics.js';
import type { ActorCriticLayout } from './network.js';

export interface ForwardResult {
  /** batch × actorOutputSize: logits, or Gaussian means. */
  actorOut: Float32Array;
  /**
   * batch × layout.valueHeads critic values, head-major: head h of row n at `h * batch + n`, so
   * the first `batch` entries are the extrinsic value (what a one-head critic returns).
   */
  values: Float32Array;
}

export interface ComputeEngine {
  /** Engine name: `kernels` or `tfjs`. */
  readonly name: EngineName;
  /** The device it computes on: the tfjs backend (e.g. `wasm`), or `wasm-simd` for the kernels. */
  readonly device: DeviceName;
  readonly layout: ActorCriticLayout;
  /** Makes `params` the weights of the next forward passes (copies or uploads them). */
  setParams(params: Float32Array): void;
  /**
   * Runs both networks on `batch` rows of `obs`; keeps what backward needs. The result's arrays
   * may be reused by the next call: copy them to keep them longer.
   */
  forward(obs: Float32Array, batch: number): ForwardResult;
  /**
   * Backpropagates d loss/d actorOut and d loss/d values (head-major, as {@link ForwardResult.values})
   * of the last forward pass and writes
   * d loss/d params into `grads` (layout order; the log-std slot is left untouched).
   */
  backward(dActorOut: Float32Array, dValues: Float32Array, grads: Float32Array): void;
  /** Releases device memory. */
  dispose(): void;
}
