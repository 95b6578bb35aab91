/**
 * The demonstration format: recorded decisions of one behavior, as data (ML-Agents' `.demo`, in
 * the brain's style). A JSON manifest (`demo.json`: format and version, behavior, sizes, counts,
 * who recorded it and when, and where each array lies) plus one binary file (`demo.bin`) holding
 * the arrays back to back, little-endian: observations, actions and rewards as float32, then
 * episode ends and masks as bytes.
 *
 * Loading checks every field, size and value (finite, in the action space, masks respected, whole
 * episodes, counts that match the data) and says what is wrong, naming the file and the field;
 * nothing is half-loaded. Platform-neutral: the Node and browser helpers wrap
 * {@link encodeDemonstration}/{@link decodeDemonstration}.
 */
import * as z from 'zod/mini';
import { PhaserPpoError } from '../core/errors.js';
import { actionSize, spacesEqual, spaceToString, type Space } from '../core/spaces.js';
import { SDK_VERSION, spaceFromJson, spaceToJson } from './brain.js';
import { describeIssues, LIMITS, spaceSchema } from './brain-schema.js';
import type { DemonstrationData } from './demonstration-data.js';

export type { DemonstrationData } from './demonstration-data.js';

/** A demonstration file is missing, corrupt, or does not fit the behavior it is used with. */
export class DemonstrationError extends PhaserPpoError {
  override name = 'DemonstrationError';
}

export const DEMO_FORMAT = 'phaser-ppo-demonstration';
export const DEMO_FORMAT_VERSION = 1;
/** Refuse manifests and data files larger than these before parsing them. */
export const MAX_DEMO_MANIFEST_BYTES = 1024 * 1024;
export const MAX_DEMO_DATA_BYTES = 512 * 1024 * 1024;
/** Decisions one demonstration may hold. */
export const MAX_DEMO_STEPS = 10_000_000;

/** The arrays of `demo.bin`, in file order: float32 ones first, so every offset stays 4-byte aligned. */
const ARRAYS = [
  { name: 'observations', dtype: 'float32' },
  { name: 'actions', dtype: 'float32' },
  { name: 'rewards', dtype: 'float32' },
  { name: 'ends', dtype: 'uint8' },
  { name: 'masks', dtype: 'uint8' },
] as const;
type ArrayName = (typeof ARRAYS)[number]['name'];

/** Who made a demonstration, and when: written into the manifest, not needed to learn. */
export interface DemonstrationInfo {
  /** What recorded it: `keyboard`, `heuristic`, `phaser-ppo record lander`... */
  recordedBy?: string;
  /** ISO 8601 time; default now. */
  recordedAt?: string;
}

/** The JSON half of a demonstration: `demo.json`. */
export interface DemonstrationManifest {
  format: typeof DEMO_FORMAT;
  formatVersion: number;
  sdkVersion: string;
  behavior: string;
  observationSize: number;
  actionSpace: unknown;
  episodes: number;
  steps: number;
  meanReturn: number;
  recordedBy: string;
  recordedAt: string;
  /** The data file beside the manifest (a plain name). */
  data: string;
  /** Each array's place in the data file, in bytes. `masks` is absent when nothing was masked. */
  arrays: { name: ArrayName; dtype: 'float32' | 'uint8'; offset: number; length: number }[];
}

/** Episodes and their mean return (sum of rewards per episode), as a page shows them. */
export interface DemonstrationSummary {
  episodes: number;
  steps: number;
  meanReturn: number;
}

const COUNT = 'expected a non-negative integer';
const count = (max: number) => z.int({ error: COUNT }).check(z.nonnegative({ error: COUNT }), z.maximum(max, { error: `expected at most ${max}` }));
const text = z.string({ error: 'expected a string' }).check(z.maxLength(LIMITS.maxNameLength));

/** Strict: an unknown field is refused (a typo, or not a demonstration). */
const manifestSchema = z.strictObject({
  format: z.string(),
  formatVersion: z.literal(DEMO_FORMAT_VERSION),
  sdkVersion: z.optional(text),
  behavior: text,
  observationSize: z.int({ error: 'expected a positive integer' }).check(z.positive({ error: 'expected a positive integer' }), z.maximum(LIMITS.maxSpaceSize, { error: `expected at most ${LIMITS.maxSpaceSize}` })),
  actionSpace: spaceSchema,
  episodes: count(MAX_DEMO_STEPS),
  steps: count(MAX_DEMO_STEPS),
  meanReturn: z.number({ error: 'expected a finite number' }),
  recordedBy: z.optional(text),
  recordedAt: z.optional(text),
  data: text,
  arrays: z.array(z.strictObject({
    name: z.enum(ARRAYS.map((a) => a.name) as [ArrayName, ...ArrayName[]]),
    dtype: z.enum(['float32', 'uint8']),
    offset: count(MAX_DEMO_DATA_BYTES),
    length: count(MAX_DEMO_DATA_BYTES),
  })).check(z.maxLength(ARRAYS.length)),
});

/** Width of one mask row: the sum of the discrete branch sizes (0 when nothing is discrete). */
export function maskSizeOf(space: Space): number {
  switch (space.kind) {
    case 'discrete': return space.n;
    case 'multiDiscrete': return space.nvec.reduce((s, n) => s + n, 0);
    case 'box': return 0;
    case 'hybrid': return space.discrete.nvec.reduce((s, n) => s + n, 0);
  }
}

/** Episodes (rows whose end is not 0) and the mean of their returns. */
export function summarizeDemonstration(demo: DemonstrationData): DemonstrationSummary {
  let episodes = 0;
  let sum = 0;
  let ret = 0;
  for (let i = 0; i < demo.steps; i++) {
    ret += demo.rewards[i]!;
    if (demo.ends[i] !== 0) {
      episodes++;
      sum += ret;
      ret = 0;
    }
  }
  return { episodes, steps: demo.steps, meanReturn: episodes > 0 ? sum / episodes : 0 };
}

/**
 * Throws {@link DemonstrationError} unless every array has the length its sizes need and every
 * value is allowed: finite observations and rewards, continuous actions finite and within the
 * space's bounds, discrete ones integers in range and allowed by their mask, masks of 0/1 with a
 * choice left per branch, ends 0/1/2 and the last decision ending its episode. `where` names the
 * source in messages.
 */
export function checkDemonstration(demo: DemonstrationData, where = 'demonstration'): void {
  const fail = (msg: string): never => { throw new DemonstrationError(`${where}: ${msg}`); };
  const { steps, observationSize: O, actionSpace } = demo;
  if (!Number.isInteger(steps) || steps < 0 || steps > MAX_DEMO_STEPS) fail(`steps must be an integer in [0, ${MAX_DEMO_STEPS}], got ${steps}`);
  if (!Number.isInteger(O) || O < 1 || O > LIMITS.maxSpaceSize) fail(`observationSize must be an integer in [1, ${LIMITS.maxSpaceSize}], got ${O}`);
  const A = actionSize(actionSpace);
  const M = maskSizeOf(actionSpace);
  const lengthOf = (name: string, arr: ArrayLike<number>, width: number, type: string) => {
    if (Object.prototype.toString.call(arr) !== `[object ${type}]`) fail(`${name} must be a ${type}`);
    if (arr.length !== steps * width) fail(`${name} holds ${arr.length} values, expected ${steps * width} (${steps} steps × ${width})`);
  };
  lengthOf('observations', demo.observations, O, 'Float32Array');
  lengthOf('actions', demo.actions, A, 'Float32Array');
  lengthOf('rewards', demo.rewards, 1, 'Float32Array');
  lengthOf('ends', demo.ends, 1, 'Uint8Array');
  if (demo.masks !== null) {
    if (M === 0) fail(`masks are given but ${spaceToString(actionSpace)} has no discrete branch to mask`);
    lengthOf('masks', demo.masks, M, 'Uint8Array');
  }

  const badObs = demo.observations.findIndex((v) => !Number.isFinite(v));
  if (badObs >= 0) fail(`observations: step ${Math.floor(badObs / O)}, value ${badObs % O} is ${demo.observations[badObs]}; observations must be finite`);
  const badReward = demo.rewards.findIndex((v) => !Number.isFinite(v));
  if (badReward >= 0) fail(`rewards: step ${badReward} is ${demo.rewards[badReward]}; rewards must be finite`);
  for (let i = 0; i < steps; i++) if (demo.ends[i]! > 2) fail(`ends: step ${i} is ${demo.ends[i]}, expected 0 (continuing), 1 (terminated) or 2 (truncated)`);
  if (steps > 0 && demo.ends[steps - 1] === 0) fail(`ends: the last step (${steps - 1}) does not end its episode; a demonstration holds whole episodes`);

  const box = actionSpace.kind === 'box' ? actionSpace : actionSpace.kind === 'hybrid' ? actionSpace.continuous : null;
  const branches = actionSpace.kind === 'discrete' ? [actionSpace.n] : actionSpace.kind === 'multiDiscrete' ? actionSpace.nvec : actionSpace.kind === 'hybrid' ? actionSpace.discrete.nvec : [];
  const C = box ? box.size : 0;
  // Bounds as float32: a value clipped to 0.1 and stored as float32 is a hair above the double 0.1.
  const low = box ? box.low.map((v) => Math.fround(v)) : [];
  const high = box ? box.high.map((v) => Math.fround(v)) : [];
  const { actions, masks } = demo;
  for (let i = 0; i < steps; i++) {
    for (let d = 0; d < C; d++) {
      const a = actions[i * A + d]!;
      if (!(a >= low[d]! && a <= high[d]!)) fail(`actions: step ${i}, continuous ${d} is ${a}, expected a finite number in [${box!.low[d]}, ${box!.high[d]}]`);
    }
    let start = 0;
    for (let b = 0; b < branches.length; b++) {
      const n = branches[b]!;
      const a = actions[i * A + C + b]!;
      if (!Number.isInteger(a) || a < 0 || a >= n) fail(`actions: step ${i}, discrete branch ${b} is ${a}, expected an integer in [0, ${n})`);
      if (masks) {
        let allowed = 0;
        for (let j = 0; j < n; j++) {
          const m = masks[i * M + start + j]!;
          if (m > 1) fail(`masks: step ${i}, branch ${b}, choice ${j} is ${m}, expected 0 or 1`);
          allowed += m;
        }
        if (allowed === 0) fail(`masks: step ${i}, branch ${b} allows no choice`);
        if (masks[i * M + start + a] === 0) fail(`actions: step ${i}, discrete branch ${b} chose ${a}, which its mask disallows`);
      }
      start += n;
    }
  }
}

/**
 * Splits a demonstration into its manifest and its data bytes (`dataPath` names the file beside
 * the manifest). Checks the demonstration first ({@link checkDemonstration}).
 *
 * @example
 * const { manifest, data } = encodeDemonstration(runner.stopRecording(), { recordedBy: 'keyboard' });
 */
export function encodeDemonstration(demo: DemonstrationData, info: DemonstrationInfo = {}, dataPath = 'demo.bin'): { manifest: DemonstrationManifest; data: ArrayBuffer } {
  checkDemonstration(demo);
  if (typeof demo.behavior !== 'string' || demo.behavior.length > LIMITS.maxNameLength) throw new DemonstrationError(`demonstration: behavior must be a string of at most ${LIMITS.maxNameLength} characters`);
  const parts: { name: ArrayName; bytes: Uint8Array; dtype: 'float32' | 'uint8' }[] = [];
  const add = (name: ArrayName, arr: Float32Array | Uint8Array) => parts.push({ name, dtype: arr instanceof Float32Array ? 'float32' : 'uint8', bytes: new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength) });
  add('observations', demo.observations);
  add('actions', demo.actions);
  add('rewards', demo.rewards);
  add('ends', demo.ends);
  if (demo.masks) add('masks', demo.masks);
  const total = parts.reduce((s, p) => s + p.bytes.byteLength, 0);
  if (total > MAX_DEMO_DATA_BYTES) throw new DemonstrationError(`demonstration: ${total} bytes of data, over the ${MAX_DEMO_DATA_BYTES}-byte limit`);
  const out = new Uint8Array(total);
  const arrays: DemonstrationManifest['arrays'] = [];
  let offset = 0;
  for (const p of parts) {
    out.set(p.bytes, offset);
    arrays.push({ name: p.name, dtype: p.dtype, offset, length: p.dtype === 'float32' ? p.bytes.byteLength / 4 : p.bytes.byteLength });
    offset += p.bytes.byteLength;
  }
  const { episodes, meanReturn } = summarizeDemonstration(demo);
  const manifest: DemonstrationManifest = {
    format: DEMO_FORMAT,
    formatVersion: DEMO_FORMAT_VERSION,
    sdkVersion: SDK_VERSION,
    behavior: demo.behavior,
    observationSize: demo.observationSize,
    actionSpace: spaceToJson(demo.actionSpace),
    episodes,
    steps: demo.steps,
    meanReturn,
    recordedBy: info.recordedBy ?? 'phaser-ppo',
    recordedAt: info.recordedAt ?? new Date().toISOString(),
    data: dataPath,
    arrays,
  };
  return { manifest, data: out.buffer };
}

/**
 * Validates a parsed `demo.json` and its data bytes and builds the demonstration. Throws
 * {@link DemonstrationError} naming the file and the field (`demo.json: arrays[1].length: expected
 * 240 (120 steps × 2), got 7`); returns only a complete, checked demonstration.
 */
export function decodeDemonstration(json: unknown, data: ArrayBuffer, where = 'demo.json'): DemonstrationData {
  const fail = (msg: string): never => { throw new DemonstrationError(`${where}: ${msg}`); };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(`expected a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  const j = json as Record<string, unknown>;
  if (Object.prototype.toString.call(data) !== '[object ArrayBuffer]') return fail('the data must be an ArrayBuffer');
  // Shown by type past strings and numbers: a value handed in (not parsed) may be cyclic.
  const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.slice(0, 80)) : typeof v === 'number' ? String(v) : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
  if (j.format !== DEMO_FORMAT) fail(`"format" is ${show(j.format)}, expected "${DEMO_FORMAT}" (is this a phaser-ppo demonstration?)`);
  if (j.formatVersion !== DEMO_FORMAT_VERSION) fail(`"formatVersion" ${show(j.formatVersion)} is not supported; this SDK reads version ${DEMO_FORMAT_VERSION}`);
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) return fail(describeIssues(parsed.error, json));
  const m = parsed.data;
  let actionSpace: Space;
  try {
    actionSpace = spaceFromJson(m.actionSpace);
  } catch (err) {
    return fail(`actionSpace: ${(err as Error).message}`);
  }
  if (data.byteLength > MAX_DEMO_DATA_BYTES) fail(`the data is ${data.byteLength} bytes, over the ${MAX_DEMO_DATA_BYTES}-byte limit`);

  const { steps, observationSize: O } = m;
  const M = maskSizeOf(actionSpace);
  const widths: Record<ArrayName, number> = { observations: O, actions: actionSize(actionSpace), rewards: 1, ends: 1, masks: M };
  const hasMasks = m.arrays.length === ARRAYS.length;
  if (m.arrays.length < ARRAYS.length - 1) fail(`arrays: expected ${ARRAYS.slice(0, -1).map((a) => a.name).join(', ')} and optionally masks, got ${m.arrays.length} entries`);
  if (hasMasks && M === 0) fail(`arrays[4]: masks are listed but ${spaceToString(actionSpace)} has no discrete branch to mask`);
  let offset = 0;
  const views = {} as Record<ArrayName, Float32Array | Uint8Array>;
  m.arrays.forEach((a, i) => {
    const want = ARRAYS[i]!;
    if (a.name !== want.name || a.dtype !== want.dtype) fail(`arrays[${i}] is ${a.name} (${a.dtype}), expected ${want.name} (${want.dtype})`);
    const length = steps * widths[a.name];
    if (a.length !== length) fail(`arrays[${i}].length: expected ${length} (${steps} steps × ${widths[a.name]}), got ${a.length}`);
    if (a.offset !== offset) fail(`arrays[${i}].offset: expected ${offset} (right after the previous array), got ${a.offset}`);
    const bytes = a.dtype === 'float32' ? length * 4 : length;
    if (offset + bytes > data.byteLength) fail(`arrays[${i}] (${a.name}) needs bytes ${offset} to ${offset + bytes}, but the data file holds ${data.byteLength} bytes (truncated?)`);
    // slice copies, so the arrays own aligned buffers of their own.
    views[a.name] = a.dtype === 'float32' ? new Float32Array(data.slice(offset, offset + bytes)) : new Uint8Array(data.slice(offset, offset + bytes));
    offset += bytes;
  });
  if (offset !== data.byteLength) fail(`the data file holds ${data.byteLength} bytes, the arrays describe ${offset}`);

  const demo: DemonstrationData = {
    behavior: m.behavior, observationSize: O, actionSpace, steps,
    observations: views.observations as Float32Array, actions: views.actions as Float32Array,
    masks: hasMasks ? (views.masks as Uint8Array) : null,
    rewards: views.rewards as Float32Array, ends: views.ends as Uint8Array,
  };
  checkDemonstration(demo, where);
  const summary = summarizeDemonstration(demo);
  if (summary.episodes !== m.episodes) fail(`episodes: the manifest says ${m.episodes}, the data holds ${summary.episodes}`);
  if (!(Math.abs(summary.meanReturn - m.meanReturn) <= 1e-3 * Math.max(1, Math.abs(m.meanReturn)))) {
    fail(`meanReturn: the manifest says ${m.meanReturn}, the data gives ${summary.meanReturn}`);
  }
  return demo;
}

/**
 * A SHA-256 of the demonstration's content (behavior, sizes, action space and every array, not
 * who recorded it or when), as hex: what a config or checkpoint can store to refer to the
 * demonstration it learned from and notice when the file under that path changed. Web Crypto:
 * the same value in Node and in the page.
 *
 * @example
 * const hash = await demonstrationHash(loadDemonstration('demos/lander')); // '3f9a…' (64 hex digits)
 */
export async function demonstrationHash(demo: DemonstrationData): Promise<string> {
  const { manifest, data } = encodeDemonstration(demo, { recordedBy: '', recordedAt: '' });
  const header = new TextEncoder().encode(JSON.stringify([manifest.format, manifest.formatVersion, manifest.behavior, manifest.observationSize, manifest.actionSpace, manifest.steps, manifest.arrays]));
  const all = new Uint8Array(header.length + 1 + data.byteLength);
  all.set(header);
  all.set(new Uint8Array(data), header.length + 1);
  const digest = await crypto.subtle.digest('SHA-256', all);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The sizes a demonstration must match: a behavior's (`BehaviorRunner.spec`) or an env's. */
export interface DemonstrationTarget {
  /** Named in messages. */
  name: string;
  observationSize: number;
  actionSpace: Space;
}

/**
 * Throws {@link DemonstrationError} unless `demo` fits `target`: the same observation size and
 * action space (kind, sizes and bounds). A different behavior name is allowed (a renamed behavior).
 *
 * @example
 * assertDemonstrationFits(loadDemonstration('demos/lander'), { name: 'lander', observationSize: 12, actionSpace: Box(-1, 1, 2) });
 */
export function assertDemonstrationFits(demo: DemonstrationData, target: DemonstrationTarget): void {
  if (demo.observationSize !== target.observationSize) {
    throw new DemonstrationError(`the demonstration (of '${demo.behavior}') observes ${demo.observationSize} values, behavior '${target.name}' observes ${target.observationSize}`);
  }
  if (!spacesEqual(demo.actionSpace, target.actionSpace)) {
    throw new DemonstrationError(`the demonstration's (of '${demo.behavior}') action space ${JSON.stringify(spaceToJson(demo.actionSpace))} is not behavior '${target.name}''s ${JSON.stringify(spaceToJson(target.actionSpace))}`);
  }
}

/**
 * The data file a parsed manifest names, checked to stay beside it: a plain file name (no
 * directory part, no `..`, no URL), as a brain's weights file.
 */
export function demoDataFileOf(json: unknown, where: string): string {
  const file = (json as { data?: unknown } | null)?.data;
  if (typeof file !== 'string' || file === '') throw new DemonstrationError(`${where}: "data" must name the data file beside it`);
  if (file === '.' || file.includes('..') || file.includes('/') || file.includes('\\') || file.includes('\0') || /^[a-z][a-z0-9+.-]*:/i.test(file)) {
    throw new DemonstrationError(`${where}: data path ${JSON.stringify(file).slice(0, 80)} must stay beside the manifest (a plain file name)`);
  }
  return file;
}
