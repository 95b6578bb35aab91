/**
 * `phaser-ppo serve`: a game's headless copies over TCP for a Python learner (RLlib, SB3, Sample
 * Factory, CleanRL), in the wire format of ./protocol.ts. One client at a time drives one
 * {@link BridgeSession} (a fresh one per connection); a second client is told the server is busy.
 * Nothing a client sends can crash the server: each mistake gets an error reply, and a stream that
 * cannot go on (too-large frame, wrong major version, a game that threw) is closed with the reason
 * logged.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { PhaserPpoError } from '../core/errors.js';
import type { HeadlessGame } from '../runtime/game.js';
import { BRIDGE_MAJOR_VERSION, BRIDGE_MINOR_VERSION, BRIDGE_PROTOCOL, encodeFrame, FrameError, FrameReader, MAX_FRAME_BYTES, parseMessage, type ClientMessage } from './protocol.js';
import { BridgeRequestError, BridgeSession, show } from './session.js';

/** Replies a client may leave unread before its connection is closed. */
const MAX_UNREAD_BYTES = 64 * 1024 * 1024;

export interface BridgeServerOptions {
  game: HeadlessGame;
  /** Copies of the game's world each client drives. */
  copies: number;
  /** Seed of the copies until a client's reset gives another. */
  seed: number;
  /** Port to listen on; 0 picks a free one (see {@link BridgeServer.port}). */
  port: number;
  /** Address to bind. Default 127.0.0.1: only this machine can connect. */
  host?: string;
  /** Largest frame accepted. Default {@link MAX_FRAME_BYTES}. */
  maxFrameBytes?: number;
  /**
   * A connection silent this long (ms) is closed: a half-sent frame (slowloris) or a vanished
   * client does not hold the server. Default 300,000 (learners pause for updates).
   */
  idleTimeoutMs?: number;
  /** Where connection events and reasons for closing go. Default: stderr. */
  log?: (line: string) => void;
}

/** A listening bridge. */
export interface BridgeServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes the client's connection. */
  close(): Promise<void>;
}

/**
 * Starts serving `options.game`; resolves once listening.
 *
 * @example
 * const server = await startBridgeServer({ game: balanceGame, copies: 8, seed: 1, port: 0 });
 * console.log(`python -m phaser_ppo_env --port ${server.port}`);
 * await server.close();
 */
export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxFrame = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const idle = options.idleTimeoutMs ?? 300_000;
  // Fails here (bad copies) rather than at the first client.
  new BridgeSession(options.game, options.copies, options.seed);
  let active: Socket | null = null;

  const server = createServer((socket) => {
    const who = `${socket.remoteAddress}:${socket.remotePort}`;
    if (active) {
      log(`bridge: refused ${who}: a client is connected already`);
      socket.end(encodeFrame({ type: 'error', message: 'busy: this server drives one client at a time; start another server (another --port) for another client', fatal: true }));
      return;
    }
    active = socket;
    log(`bridge: client ${who} connected`);
    const connection = new Connection(socket, options, maxFrame, log, who);
    socket.setNoDelay(true);
    socket.setTimeout(idle, () => connection.end(`silent for ${idle} ms`));
    socket.on('data', (data: Buffer) => connection.receive(data));
    socket.on('error', (err) => log(`bridge: client ${who}: ${err.message}`));
    socket.on('close', () => {
      if (active === socket) active = null;
      if (!connection.ended) log(`bridge: client ${who} disconnected`);
    });
  });
  server.on('error', (err) => log(`bridge: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => reject(new PhaserPpoError(`serve: cannot listen on ${host}:${options.port}: ${err.message}`));
    server.once('error', fail);
    server.listen(options.port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host, port: address.port,
    close: () => new Promise<void>((resolve) => {
      active?.destroy();
      server.close(() => resolve());
    }),
  };
}

/** One client's stream: frames in, one reply per message out. */
class Connection {
  ended = false;
  private readonly reader: FrameReader;
  private session: BridgeSession | null = null;
  private greeted = false;

  constructor(private readonly socket: Socket, private readonly options: BridgeServerOptions, maxFrame: number, private readonly log: (line: string) => void, private readonly who: string) {
    this.reader = new FrameReader(maxFrame);
  }

  receive(data: Buffer): void {
    if (this.ended) return;
    let frames: Buffer[];
    try {
      frames = this.reader.push(data);
    } catch (err) {
      this.fail(err);
      return;
    }
    for (const frame of frames) {
      if (this.ended) return;
      try {
        this.handle(parseMessage(frame));
      } catch (err) {
        this.fail(err);
      }
    }
  }

  /** Closes the stream, saying why to the client (when it can still hear) and in the log. */
  end(reason: string, reply?: object): void {
    if (this.ended) return;
    this.ended = true;
    this.log(`bridge: closing client ${this.who}: ${reason}`);
    if (!this.socket.destroyed) {
      if (reply) this.socket.end(encodeFrame(reply));
      else this.socket.end();
    }
    // A client that stops reading must not keep the socket half-open.
    this.socket.destroySoon();
  }

  private reply(message: object): void {
    if (this.socket.destroyed) return;
    // A client that sends requests but never reads the replies would grow this buffer without end.
    if (this.socket.writableLength > MAX_UNREAD_BYTES) {
      this.end(`it left ${this.socket.writableLength.toLocaleString('en-US')} bytes of replies unread`);
      return;
    }
    this.socket.write(encodeFrame(message));
  }

  /** A client mistake gets an error reply; a broken stream or a game that threw ends the connection. */
  private fail(err: unknown): void {
    const e = err as Error;
    if (err instanceof BridgeRequestError || (err instanceof FrameError && !err.fatal)) {
      this.reply({ type: 'error', message: e.message, fatal: false });
      return;
    }
    const message = err instanceof FrameError || err instanceof PhaserPpoError ? e.message : `internal error: ${e?.name}: ${e?.message}`;
    // The copies may be mid-tick: nothing of this session can go on.
    this.session = null;
    this.end(message, { type: 'error', message, fatal: true });
  }

  private handle(m: ClientMessage): void {
    const { body } = m;
    if (!this.greeted && m.type !== 'handshake') throw new BridgeRequestError(`send a handshake first: {"type":"handshake","major_version":${BRIDGE_MAJOR_VERSION},"minor_version":${BRIDGE_MINOR_VERSION}}`);
    switch (m.type) {
      case 'handshake': {
        const major = body.major_version;
        if (major !== BRIDGE_MAJOR_VERSION) {
          const message = `protocol major version ${show(major)} is not supported; this server speaks ${BRIDGE_PROTOCOL} ${BRIDGE_MAJOR_VERSION}.${BRIDGE_MINOR_VERSION}`;
          this.end(message, { type: 'error', message, fatal: true });
          return;
        }
        this.greeted = true;
        this.reply({ type: 'handshake', protocol: BRIDGE_PROTOCOL, major_version: BRIDGE_MAJOR_VERSION, minor_version: BRIDGE_MINOR_VERSION, game: this.options.game.name });
        return;
      }
      case 'env_info':
        this.reply({ type: 'env_info', ...this.sessionOf().info() });
        return;
      case 'reset': {
        const seed = body.seed;
        if (seed !== undefined && seed !== null && typeof seed !== 'number') throw new BridgeRequestError(`reset: seed must be an integer or absent, got ${show(seed)}`);
        this.reply({ type: 'reset', ...this.sessionOf().reset(typeof seed === 'number' ? seed : undefined) });
        return;
      }
      case 'step': {
        const actions = body.actions;
        if (typeof actions !== 'object' || actions === null || Array.isArray(actions)) {
          throw new BridgeRequestError(`step: "actions" must be an object of behavior name → rows of actions, got ${show(actions)}`);
        }
        this.reply({ type: 'step', ...this.sessionOf().step(actions as Record<string, unknown>) });
        return;
      }
      case 'close':
        this.end('the client said close', { type: 'close' });
        return;
    }
  }

  private sessionOf(): BridgeSession {
    this.session ??= new BridgeSession(this.options.game, this.options.copies, this.options.seed);
    return this.session;
  }
}
