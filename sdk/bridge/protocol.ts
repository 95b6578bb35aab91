/**
 * The bridge's wire format, version 1 (README "Train with Python"): each message is a frame, a
 * 4-byte unsigned big-endian byte length and then that many bytes of UTF-8 JSON (an object with a
 * `type`). The client speaks first and waits for each reply, as with Godot RL Agents' sync
 * protocol:
 *
 *   handshake {major_version, minor_version} → handshake {protocol, major_version, minor_version, game}
 *   env_info                                 → env_info {game, copies, seed, behaviors: [spaces, agents]}
 *   reset {seed?}                            → reset {behaviors: {name: {obs, reward, terminated, ...}}, ticks}
 *   step {actions: {name: rows}}             → step (as reset)
 *   close                                    → close, and the server closes the connection
 *   (any mistake)                            → error {message, fatal}; fatal closes the connection
 */

/** Names the protocol in the handshake. */
export const BRIDGE_PROTOCOL = 'phaser-ppo-bridge';
/** A client with another major version is refused; minor versions only add fields. */
export const BRIDGE_MAJOR_VERSION = 1;
export const BRIDGE_MINOR_VERSION = 0;
/** Largest frame either side accepts (16 MiB): a larger length is refused before any byte is buffered. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Bytes of the length prefix. */
export const HEADER_BYTES = 4;

/** What a client may send. */
export const MESSAGE_TYPES = ['handshake', 'env_info', 'reset', 'step', 'close'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** A frame the reader refused: too large, or not JSON text. */
export class FrameError extends Error {
  override name = 'FrameError';
  constructor(message: string, readonly fatal: boolean) {
    super(message);
  }
}

/** Encodes one message as a frame. */
export function encodeFrame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, HEADER_BYTES);
  return frame;
}

/**
 * Cuts a byte stream into frames. It never holds more than one frame's bytes plus the header: a
 * length over `maxBytes` throws a fatal {@link FrameError} at once (the stream cannot be resynced).
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Body length of the frame being received, once its header is in; -1 before. */
  private expected = -1;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  /** Bytes of an incomplete frame held now. */
  get pending(): number {
    return this.buffered;
  }

  /**
   * Adds bytes; returns the complete frames' bodies, in order. Chunks are joined only once a
   * frame is complete, so a frame trickled in small pieces costs linear, not quadratic, copying.
   */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < HEADER_BYTES) break;
        const head = this.join();
        const length = head.readUInt32BE(0);
        if (length > this.maxBytes) throw new FrameError(`a frame of ${length.toLocaleString('en-US')} bytes is over the limit of ${this.maxBytes.toLocaleString('en-US')}`, true);
        this.expected = length;
      }
      if (this.buffered < HEADER_BYTES + this.expected) break;
      const all = this.join();
      out.push(all.subarray(HEADER_BYTES, HEADER_BYTES + this.expected));
      const rest = all.subarray(HEADER_BYTES + this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.expected = -1;
    }
    return out;
  }

  /** The held bytes as one buffer (kept as the only chunk). */
  private join(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }
}

/** A parsed client message: its type and the object. */
export interface ClientMessage {
  type: MessageType;
  body: Record<string, unknown>;
}

/** Parses a frame's body into a message, or throws a non-fatal {@link FrameError} saying what is wrong. */
export function parseMessage(body: Buffer): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new FrameError(`the frame is not JSON: ${(err as Error).message}`, false);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FrameError(`a message must be a JSON object with a "type", got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`, false);
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new FrameError(`unknown message type ${JSON.stringify(type)?.slice(0, 40) ?? 'undefined'}; the types are ${MESSAGE_TYPES.join(', ')}`, false);
  }
  return { type: type as MessageType, body: value as Record<string, unknown> };
}
