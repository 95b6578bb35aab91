/**
 * Checks a {@link LearnerSpec} before the learner allocates anything: a spec also arrives as a
 * worker message, so a wrong type or a huge size must end in a clear error, not a TypeError deep
 * inside, an out-of-memory crash or a hang.
 */
import { observationInputsProblem, type ObservationInput } from '../rl/conv.js';
import { PhaserPpoError } from '../core/errors.js';
import { Box, Discrete, Hybrid, MultiDiscrete, type Space } from '../core/spaces.js';
import type { ResolvedConfig } from '../rl/config.js';
import { ActionDistribution } from '../rl/distributions.js';
import { ActorCriticLayout } from '../rl/network.js';
import type { LearnerSpec } from './learner-host.js';

/** Observation values per row and action dimensions (as the brain loader's LIMITS). */
export const MAX_SPACE_SIZE = 65_536;
/** Parameters of one actor-critic (16.7M floats: 64 MB of weights, 192 MB with Adam's moments). */
export const MAX_PARAMETERS = 2 ** 24;

const BACKENDS = new Set(['auto', 'kernels', 'webgpu', 'webgl', 'wasm', 'cpu']);

const fail = (field: string, msg: string): never => { throw new PhaserPpoError(`LearnerSpec.${field}: ${msg}`); };

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  return typeof v === 'object' ? (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'an object' : typeof v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sizeOk(n: unknown, max: number): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= max;
}

function numbers(v: unknown, n: number, field: string): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number')) fail(field, `expected ${n} numbers, got ${describe(v)}`);
  return v as number[];
}

/** Rebuilds the space from plain data with the SDK's own constructors (which check bounds). */
function checkSpace(s: unknown, field: string): Space {
  if (!isRecord(s)) return fail(field, `expected a space object, got ${describe(s)}`);
  try {
    switch (s.kind) {
      case 'discrete':
        if (!sizeOk(s.n, MAX_SPACE_SIZE)) fail(`${field}.n`, `expected an integer in [1, ${MAX_SPACE_SIZE}], got ${describe(s.n)}`);
        return Discrete(s.n as number);
      case 'multiDiscrete': {
        if (!Array.isArray(s.nvec) || s.nvec.length < 1 || s.nvec.length > 1024) fail(`${field}.nvec`, `expected 1 to 1024 branch sizes, got ${describe(s.nvec)}`);
        const nvec = s.nvec as unknown[];
        nvec.forEach((n, i) => { if (!sizeOk(n, MAX_SPACE_SIZE)) fail(`${field}.nvec[${i}]`, `expected an integer in [1, ${MAX_SPACE_SIZE}], got ${describe(n)}`); });
        return MultiDiscrete(nvec as number[]);
      }
      case 'box': {
        if (!sizeOk(s.size, MAX_SPACE_SIZE)) fail(`${field}.size`, `expected an integer in [1, ${MAX_SPACE_SIZE}], got ${describe(s.size)}`);
        return Box(numbers(s.low, s.size as number, `${field}.low`), numbers(s.high, s.size as number, `${field}.high`));
      }
      case 'hybrid': {
        const c = checkSpace(s.continuous, `${field}.continuous`);
        const d = checkSpace(s.discrete, `${field}.discrete`);
        if (c.kind !== 'box' || d.kind !== 'multiDiscrete') fail(field, 'a hybrid space needs a box and a multiDiscrete');
        return Hybrid(c as Extract<Space, { kind: 'box' }>, d as Extract<Space, { kind: 'multiDiscrete' }>);
      }
      default:
        return fail(`${field}.kind`, `expected box, discrete, multiDiscrete or hybrid, got ${describe(s.kind)}`);
    }
  } catch (err) {
    if (err instanceof PhaserPpoError && !err.message.startsWith('LearnerSpec.')) fail(field, err.message);
    throw err;
  }
}

function checkFloats(v: unknown, n: number, field: string): void {
  if (!(v instanceof Float32Array)) fail(field, `expected a Float32Array, got ${describe(v)}`);
  const a = v as Float32Array;
  if (a.length !== n) fail(field, `has ${a.length} values, the network needs ${n}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i]!)) fail(field, `value ${i} is ${a[i]}`);
}

/**
 * Throws a PhaserPpoError naming the field (`LearnerSpec.actionSpace.n: ...`) unless `spec` is a
 * usable learner spec for `config` (already resolved: resolveConfig raises ConfigError itself).
 */
export function checkLearnerSpec(spec: unknown, config: ResolvedConfig): asserts spec is LearnerSpec {
  if (!isRecord(spec)) fail('(spec)', `expected an object, got ${describe(spec)}`);
  const s = spec as Record<string, unknown>;
  if (!sizeOk(s.observationSize, MAX_SPACE_SIZE)) fail('observationSize', `expected an integer in [1, ${MAX_SPACE_SIZE}], got ${describe(s.observationSize)}`);
  const space = checkSpace(s.actionSpace, 'actionSpace');
  if (s.backend !== undefined && !BACKENDS.has(s.backend as string)) fail('backend', `expected one of ${[...BACKENDS].join(', ')}, got ${describe(s.backend)}`);
  if (s.observationInputs !== undefined) {
    const problem = observationInputsProblem(s.observationInputs, s.observationSize as number);
    if (problem) fail('observationInputs', problem);
  }
  // Checks the conv layers against the grids and the parameter cap (a ConfigError naming the field).
  const layout = ActorCriticLayout.forBehavior(s.observationSize as number, s.observationInputs as ObservationInput[] | undefined, config, new ActionDistribution(space));
  if (layout.size > MAX_PARAMETERS) fail('config.hiddenSizes', `the network would have ${layout.size} parameters, over the ${MAX_PARAMETERS} limit`);
  if (s.state === undefined) return;
  const st = s.state;
  if (!isRecord(st)) return fail('state', `expected a LearnerState object, got ${describe(st)}`);
  checkFloats(st.params, layout.size, 'state.params');
  if (!isRecord(st.adam)) fail('state.adam', `expected { m, v, t }, got ${describe(st.adam)}`);
  const adam = st.adam as Record<string, unknown>;
  checkFloats(adam.m, layout.size, 'state.adam.m');
  checkFloats(adam.v, layout.size, 'state.adam.v');
  for (const [name, v] of [['adam.t', adam.t], ['updates', st.updates], ['version', st.version]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`state.${name}`, `expected a non-negative integer, got ${describe(v)}`);
  }
  checkRngState(st.rngState, 'state.rngState');
  if (st.demonstrations !== undefined) checkDemonstrationState(st.demonstrations, config);
}

function checkRngState(v: unknown, field: string): void {
  if (!Array.isArray(v) || v.length !== 6 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(field, `expected 6 finite numbers (Rng.getState()), got ${describe(v)}`);
  }
}

/** `state.demonstrations` by shape; the discriminator's size is checked against the config by the learner. */
function checkDemonstrationState(d: unknown, config: ResolvedConfig): void {
  if (!isRecord(d)) return fail('state.demonstrations', `expected { gail, bc }, got ${describe(d)}`);
  const { gail, bc } = d;
  if (gail !== null) {
    if (!isRecord(gail) || !isRecord(gail.adam)) return fail('state.demonstrations.gail', `expected null or { params, adam, rng }, got ${describe(gail)}`);
    const n = (gail.params as { length?: unknown } | undefined)?.length;
    const size = typeof n === 'number' && config.gail ? n : 0;
    checkFloats(gail.params, size, 'state.demonstrations.gail.params');
    checkFloats(gail.adam.m, size, 'state.demonstrations.gail.adam.m');
    checkFloats(gail.adam.v, size, 'state.demonstrations.gail.adam.v');
    const t = gail.adam.t;
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) fail('state.demonstrations.gail.adam.t', `expected a non-negative integer, got ${describe(t)}`);
    checkRngState(gail.rng, 'state.demonstrations.gail.rng');
  }
  if (bc !== null) {
    if (!isRecord(bc)) return fail('state.demonstrations.bc', `expected null or { rng, cursor }, got ${describe(bc)}`);
    checkRngState(bc.rng, 'state.demonstrations.bc.rng');
    if (bc.cursor !== null && !(typeof bc.cursor === 'number' && Number.isSafeInteger(bc.cursor) && bc.cursor >= 0)) fail('state.demonstrations.bc.cursor', `expected null or a non-negative integer, got ${describe(bc.cursor)}`);
  }
}
