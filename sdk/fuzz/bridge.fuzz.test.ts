/**
 * The bridge server (`phaser-ppo serve`) under hostile clients: junk bytes, frames that are not
 * JSON, unknown messages, wrong sizes, too-large frames, half-sent frames, clients that vanish
 * mid-step or come two at a time. Each gets an error reply or a closed connection with a logged
 * reason, never an internal error or a dead server: a good client is served afterwards.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { startBridgeServer, type BridgeServer } from '../bridge/server.js';
import { encodeFrame, FrameReader, MESSAGE_TYPES } from '../bridge/protocol.js';
import { lineGame } from '../bridge/test-game.js';
import { FUZZ_SEED } from './fuzz-count.js';

const MAX_FRAME = 4096;
const HELLO = { type: 'handshake', major_version: 1, minor_version: 0 };

interface Reply { type: string; message?: string; fatal?: boolean; [k: string]: unknown }

/** A raw client: sends bytes, reads reply frames in order, knows when the server closed. */
class RawClient {
  readonly socket: Socket;
  readonly replies: Reply[] = [];
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader(64 * 1024 * 1024);
  private waiters: (() => void)[] = [];
  private ended = false;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d: Buffer) => {
      for (const f of this.reader.push(d)) this.replies.push(JSON.parse(f.toString('utf8')) as Reply);
      this.wake();
    });
    this.socket.on('error', () => {});
    this.closed = new Promise((resolve) => this.socket.on('close', () => { this.ended = true; this.wake(); resolve(); }));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(message: object | Buffer): void {
    this.socket.write(Buffer.isBuffer(message) ? message : encodeFrame(message));
  }

  /** The next reply (in order), or null when the server closed before sending it. */
  async next(): Promise<Reply | null> {
    const i = this.taken++;
    while (this.replies.length <= i && !this.ended) await new Promise<void>((r) => this.waiters.push(r));
    return this.replies[i] ?? null;
  }
  private taken = 0;

  async request(message: object): Promise<Reply | null> {
    this.send(message);
    return this.next();
  }
}

describe('bridge server under hostile clients', () => {
  let server: BridgeServer;
  const log: string[] = [];
  let logWaiters: [RegExp, () => void][] = [];
  /** Resolves once a log line matching `re` has been written (now or later). */
  const logged = (re: RegExp, from = 0) => new Promise<void>((resolve) => {
    if (log.slice(from).some((l) => re.test(l))) resolve();
    else logWaiters.push([re, resolve]);
  });

  beforeAll(async () => {
    server = await startBridgeServer({
      game: lineGame(), copies: 1, seed: 1, port: 0, maxFrameBytes: MAX_FRAME, idleTimeoutMs: 300,
      log: (line) => {
        log.push(line);
        logWaiters = logWaiters.filter(([re, resolve]) => (re.test(line) ? (resolve(), false) : true));
      },
    });
  });
  afterAll(() => server.close());

  /** A full good session on a fresh connection: the server still serves. */
  async function goodSession(): Promise<void> {
    const c = new RawClient(server.port);
    expect(await c.request(HELLO)).toMatchObject({ type: 'handshake', protocol: 'phaser-ppo-bridge', major_version: 1, game: 'line' });
    expect(await c.request({ type: 'env_info' })).toMatchObject({ type: 'env_info', copies: 1 });
    expect(await c.request({ type: 'reset', seed: 3 })).toMatchObject({ type: 'reset', behaviors: { walker: { obs: [[0], [0]] } } });
    expect(await c.request({ type: 'step', actions: { walker: [2, 0], steerer: [[0, 0]] } })).toMatchObject({ type: 'step', behaviors: { walker: { obs: [[1], [-1]] } } });
    expect(await c.request({ type: 'close' })).toEqual({ type: 'close' });
    await c.closed;
  }

  it('serves a good client: handshake, env_info, reset, step, close', async () => {
    await goodSession();
    await goodSession();
  });

  it('answers mistakes with an error and goes on; a wrong major version is refused and closed', async () => {
    const c = new RawClient(server.port);
    expect(await c.request({ type: 'reset' })).toMatchObject({ type: 'error', fatal: false, message: expect.stringMatching(/send a handshake first/) });
    expect(await c.request(HELLO)).toMatchObject({ type: 'handshake' });
    const frame = (text: string) => { const b = Buffer.from(text); const h = Buffer.alloc(4); h.writeUInt32BE(b.length); return Buffer.concat([h, b]); };
    c.send(frame('{"type": "step", '));
    expect(await c.next()).toMatchObject({ type: 'error', fatal: false, message: expect.stringMatching(/not JSON/) });
    c.send(frame('[1, 2]'));
    expect(await c.next()).toMatchObject({ type: 'error', message: expect.stringMatching(/a JSON object with a "type", got an array/) });
    expect(await c.request({ type: 'fly' })).toMatchObject({ type: 'error', message: expect.stringMatching(/unknown message type "fly"; the types are handshake, env_info, reset, step, close/) });
    expect(await c.request({ type: 'step', actions: { walker: [2, 0] } })).toMatchObject({ type: 'error', message: expect.stringMatching(/step before reset/) });
    expect(await c.request({ type: 'reset', seed: 'x' })).toMatchObject({ type: 'error', message: expect.stringMatching(/seed must be an integer or absent, got "x"/) });
    expect(await c.request({ type: 'reset' })).toMatchObject({ type: 'reset' });
    expect(await c.request({ type: 'step', actions: { walker: [2, 0, 1], steerer: [[0, 0]] } })).toMatchObject({ type: 'error', fatal: false, message: expect.stringMatching(/has 3 rows; the behavior has 2 agents/) });
    expect(await c.request({ type: 'step', actions: { walker: [2, 0], steerer: [[0, 0]] } })).toMatchObject({ type: 'step' });
    c.socket.end();
    await c.closed;

    const old = new RawClient(server.port);
    expect(await old.request({ ...HELLO, major_version: 2 })).toMatchObject({ type: 'error', fatal: true, message: expect.stringMatching(/major version 2 is not supported; this server speaks phaser-ppo-bridge 1.0/) });
    await old.closed;
    await goodSession();
  });

  it('closes a connection whose frame is too large, before buffering it, and says why', async () => {
    const c = new RawClient(server.port);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME + 1);
    c.send(header);
    expect(await c.next()).toMatchObject({ type: 'error', fatal: true, message: expect.stringMatching(/a frame of 4,097 bytes is over the limit of 4,096/) });
    await c.closed;
    expect(log.some((l) => /closing client .*over the limit/.test(l))).toBe(true);
    await goodSession();
  });

  it('closes a connection that sends half a frame and then nothing (slowloris)', async () => {
    const from = log.length;
    const c = new RawClient(server.port);
    c.send(Buffer.from([0, 0, 0, 50, 123]));
    await c.closed;
    await logged(/closing client .*: silent for 300 ms/, from);
    await goodSession();
  });

  it('survives a client that vanishes mid-step, and refuses a second client while one is connected', async () => {
    const a = new RawClient(server.port);
    expect(await a.request(HELLO)).toMatchObject({ type: 'handshake' });
    const b = new RawClient(server.port);
    expect(await b.next()).toMatchObject({ type: 'error', fatal: true, message: expect.stringMatching(/busy: this server drives one client at a time/) });
    await b.closed;
    expect(await a.request({ type: 'reset' })).toMatchObject({ type: 'reset' });
    const from = log.length;
    a.send({ type: 'step', actions: { walker: [2, 0], steerer: [[0, 0]] } });
    a.socket.destroy();
    await logged(/client .* disconnected/, from);
    await goodSession();
  });

  it('fuzz: random bytes, frames and messages never get an internal error, and a good client is served after', async () => {
    // Mostly messages of the known types with junk fields, so that they reach the session's checks.
    const message = fc.record({
      type: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('step', 'step', 'step', 'reset', 'env_info', 'handshake', 'close') }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }),
      major_version: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 1 })),
      seed: fc.oneof(fc.constant(undefined), fc.integer({ min: -3, max: 2 ** 33 }), fc.jsonValue({ maxDepth: 1 })),
      actions: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({ walker: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.array(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.array(fc.double(), { maxLength: 2 }), fc.jsonValue({ maxDepth: 1 })), { maxLength: 3 })),
          steerer: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.array(fc.array(fc.oneof(fc.double(), fc.jsonValue({ maxDepth: 1 })), { maxLength: 3 }), { maxLength: 2 })) }, { requiredKeys: [] }),
      ),
    }, { requiredKeys: ['type'] });
    const withLength = (b: Buffer) => { const h = Buffer.alloc(4); h.writeUInt32BE(b.length); return Buffer.concat([h, b]); };
    const chunk = fc.oneof(
      { weight: 6, arbitrary: message.map((m) => encodeFrame(m)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => withLength(Buffer.from(JSON.stringify(v) ?? ''))) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((t) => withLength(Buffer.from(t))) },
      { weight: 2, arbitrary: fc.constantFrom(encodeFrame({ type: 'reset' }), encodeFrame({ type: 'step', actions: { walker: [2, 1], steerer: [[0.5, 9]] } })) },
    );
    // Most cases greet and reset first, so that steps reach the session's checks.
    const prefix = fc.constantFrom<object[]>([], [HELLO], [HELLO, { type: 'reset' }], [HELLO, { type: 'reset' }]);
    const cases = fc.sample(fc.tuple(prefix, fc.array(chunk, { minLength: 1, maxLength: 8 })), { seed: FUZZ_SEED, numRuns: 100 });
    let replies = 0;
    for (const [greeting, chunks] of cases) {
      const c = new RawClient(server.port);
      for (const m of greeting) c.send(m);
      for (const ch of chunks) c.send(ch);
      c.socket.end();
      await c.closed;
      for (const r of c.replies) {
        expect(['handshake', 'env_info', 'reset', 'step', 'close', 'error']).toContain(r.type);
        if (r.type === 'error') {
          expect(r.message).not.toMatch(/internal error/);
          expect((r.message ?? '').length).toBeGreaterThan(10);
        }
      }
      replies += c.replies.length;
    }
    console.log(`fuzz bridge: ${cases.length} cases, ${replies} replies`);
    expect(replies).toBeGreaterThan(cases.length);
    await goodSession();
  });
});
