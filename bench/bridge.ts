/**
 * `npm run bench:bridge`: what the TCP bridge costs per step, in Node, on this machine. Prints
 * figures, asserts nothing. For balance with 8 copies and a fixed action (no policy network):
 *
 *   1. in process: BridgeSession.step (the collector with remote behaviors, replies built as
 *      objects) — the game and the remote decision path alone;
 *   2. over TCP: a client in this process sends each step as a frame and waits for the reply
 *      (JSON both ways, loopback) — what a Python learner's env steps cost at best before its own
 *      work (its JSON and numpy add to it).
 *
 * Options: --steps 3000 (per figure)  --copies 8
 */
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import balanceGame from '../games/balance/headless.js';
import { BridgeSession } from '../sdk/bridge/session.js';
import { startBridgeServer } from '../sdk/bridge/server.js';
import { encodeFrame, FrameReader } from '../sdk/bridge/protocol.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '3000' }, copies: { type: 'string', default: '8' } } });
const steps = Number(values.steps);
const copies = Number(values.copies);
const actions = { balance: Array<number>(copies).fill(1) };

const session = new BridgeSession(balanceGame, copies, 1);
session.reset();
let t0 = performance.now();
for (let i = 0; i < steps; i++) session.step(actions);
const inProcess = (performance.now() - t0) / steps;

const server = await startBridgeServer({ game: balanceGame, copies, seed: 1, port: 0, log: () => {} });
const socket = connect(server.port, '127.0.0.1');
socket.setNoDelay(true);
const reader = new FrameReader();
let waiting: ((reply: string) => void) | null = null;
socket.on('data', (d: Buffer) => { for (const f of reader.push(d)) waiting?.(f.toString('utf8')); });
const request = (m: object) => new Promise<string>((resolve) => { waiting = resolve; socket.write(encodeFrame(m)); });
await new Promise<void>((r) => socket.once('connect', () => r()));
await request({ type: 'handshake', major_version: 1, minor_version: 0 });
const first = await request({ type: 'reset' });
t0 = performance.now();
let bytes = 0;
for (let i = 0; i < steps; i++) bytes += (await request({ type: 'step', actions })).length;
const overTcp = (performance.now() - t0) / steps;
socket.destroy();
await server.close();

const row = (name: string, ms: number) => `${name.padEnd(12)} ${(ms * 1000).toFixed(0).padStart(6)} µs/step  ${Math.round(copies / (ms / 1000)).toLocaleString('en-US').padStart(9)} transitions/s`;
console.log(`bench:bridge — balance, ${copies} copies, ${steps} steps per figure, fixed action (Node ${process.version})`);
console.log(row('in process', inProcess));
console.log(row('over TCP', overTcp));
console.log(`reply size: ${Math.round(bytes / steps)} bytes per step (reset reply ${first.length} bytes)`);
