/**
 * A seeded pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * from PractRand) seeded through splitmix32. Math.random cannot be seeded or saved, and runs must
 * be reproducible and resumable, so every random draw in the SDK goes through one of these.
 */

const TWO_POW_32 = 4294967296;

/** One splitmix32 output for counter `x`: spreads nearby seeds (0, 1, 2...) far apart. */
function splitmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Deterministic PRNG with 32-bit resolution. The whole state (including the cached second normal
 * of Box–Muller) round-trips through {@link Rng.getState}/{@link Rng.setState} as JSON.
 *
 * @example
 * const rng = new Rng(42);
 * const a = rng.int(6); // a die roll
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private hasSpare = false;
  private spare = 0;

  /** Seeds from a 32-bit integer (other finite numbers are truncated to one). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    let s = Math.trunc(seed) | 0;
    const next = () => splitmix32((s = (s + 0x9e3779b9) | 0));
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // sfc32's authors discard the first outputs so the counter has mixed into the state.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Raw 32-bit output. */
  private nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal, by Box–Muller; every other call returns the cached spare. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = 1 - this.next(); // (0, 1]: log(0) would be -Infinity
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    const phi = 2 * Math.PI * u2;
    this.spare = r * Math.sin(phi);
    this.hasSpare = true;
    return r * Math.cos(phi);
  }

  /** Integer in [0, n); `n` must be a positive integer up to 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) throw new RangeError(`Rng.int: n must be a positive integer ≤ 2^32, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Shuffles `arr` in place (Fisher–Yates). */
  shuffle(arr: Int32Array | Uint32Array | number[]): void {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = tmp;
    }
  }

  /** The full state as JSON-safe numbers: `[a, b, c, d, hasSpare, spare]`. */
  getState(): number[] {
    return [this.a, this.b, this.c, this.d, this.hasSpare ? 1 : 0, this.spare];
  }

  /** Restores a state from {@link Rng.getState}; the stream continues exactly where it was saved. */
  setState(state: number[]): void {
    if (state.length !== 6 || !state.every(Number.isFinite)) {
      throw new RangeError(`Rng.setState: expected 6 finite numbers from getState(), got ${JSON.stringify(state)}`);
    }
    const [a, b, c, d, hasSpare, spare] = state as [number, number, number, number, number, number];
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    this.hasSpare = hasSpare !== 0;
    this.spare = spare;
  }
}
