/**
 * `npm run bench:workers`: actor workers (`train --workers N`, sdk/runtime/parallel-trainer.ts)
 * against one thread, on this machine, in one run. Prints figures, asserts nothing (speed is
 * measured here, never in tests).
 *
 *   1. Training transitions/s (acting + learning) per target: one thread (the Trainer for CartPole,
 *      FastTrainer for a game: what `--workers 1` runs), then N workers in lockstep (policy lag 0)
 *      and overlapping (lag 1), each over `--updates` updates after one warm-up update, with the
 *      kernels engine and the target's tuned config and copies. A transition is one decision of
 *      any learning behavior (for CartPole one env step; lander decides every 2 ticks; chase counts
 *      the pack's and the runner's); and overlapping with the learner's thread acting one share
 *      (`learnerActs`: N − 1 actor threads). Beside each: the CPU time of
 *      every thread of the process per transition (what the work costs, apart from how many
 *      cores it had).
 *   2. CartPole to 475 (last 20 episodes), CleanRL ppo.py defaults, per seed: one thread, N
 *      overlapping workers (wall time including the workers' start, printed apart), and the
 *      CleanRL-style PyTorch peer (../shared/peers/cleanrl-torch, one thread) with the wall-time
 *      ratios. The peer is skipped, saying why, where /usr/bin/python3 lacks torch or numpy.
 *
 * The load average is printed beside every figure: the machine is shared, and the figures move
 * with it. Under tsx each worker compiles the TypeScript sources it loads at its start (seconds);
 * the built package's workers load JavaScript.
 *
 * Options: --workers 1,2  --targets cartpole,balance,lander,chase,jumper  --updates 8
 *          --seeds 1 (part 2; '' to skip)  --cap 600 (peer seconds)  --peer PATH
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENVS } from '../sdk/envs/index.js';
import { KernelsEngine } from '../sdk/rl/kernels-engine.js';
import { nodeBackends } from '../sdk/runtime/backend.node.js';
import { envGame } from '../sdk/runtime/env-game.js';
import { FastTrainer, type FastUpdate } from '../sdk/runtime/fast-trainer.js';
import type { HeadlessGame } from '../sdk/runtime/game.js';
import { ParallelTrainer } from '../sdk/runtime/parallel-trainer.js';
import { Trainer } from '../sdk/runtime/trainer.js';
import { loadGame, gamePath } from '../sdk/cli/env-source.js';
import { missingPeer, runPeer } from './cleanrl-peer.js';

const { values } = parseArgs({ options: {
  workers: { type: 'string', default: '1,2' }, targets: { type: 'string', default: 'cartpole,balance,lander,chase,jumper' }, updates: { type: 'string', default: '8' },
  seeds: { type: 'string', default: '1' }, cap: { type: 'string', default: '600' }, peer: { type: 'string' },
} });
const counts = values.workers.split(',').map(Number);
const updates = Number(values.updates);
const here = dirname(fileURLToPath(import.meta.url));
// Beside the repository, as bench/peer.ts looks for it (from a worktree, give --peer).
const peerScript = resolve(values.peer ?? resolve(here, '../../shared/peers/cleanrl-torch/ppo_cleanrl.py'));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

async function gameOf(name: string): Promise<HeadlessGame> {
  if (name === 'cartpole') return envGame('cartpole', ENVS.cartpole!.create, ENVS.cartpole!.config);
  const path = gamePath(name);
  if (!path) throw new Error(`bench/workers.ts: no target "${name}" (cartpole or a bundled game)`);
  return loadGame(path);
}

/**
 * Transitions/s (every learning behavior's) over `updates` updates after a warm-up one, the CPU
 * time the process spent per transition over them (every thread's: `process.cpuUsage` counts the
 * workers too), and the last update's policy lag.
 */
async function measure(runUpdate: () => FastUpdate | Promise<FastUpdate>): Promise<{ sps: number; cpuUs: number; lag: number }> {
  // Each behavior's steps so far: an update's transitions are its step minus its behavior's last.
  const steps = new Map<string, number>();
  const counted = (u: FastUpdate) => {
    const n = u.step - (steps.get(u.behavior) ?? 0);
    steps.set(u.behavior, u.step);
    return n;
  };
  counted(await runUpdate());
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let last: FastUpdate | null = null;
  let n = 0;
  for (let i = 0; i < updates; i++) {
    last = await runUpdate();
    n += counted(last);
  }
  const cpu = process.cpuUsage(c0);
  return { sps: n / ((performance.now() - t0) / 1000), cpuUs: (cpu.user + cpu.system) / n, lag: last!.policyLag };
}

console.log(`actor workers bench: node ${process.version}, ${cpus().length} cores (availableParallelism ${availableParallelism()}), ${new Date().toISOString()}`);
console.log(`load average (1/5/15 min) at start: ${load()}\n`);
console.log(`1. Training transitions/s, kernels engine, ${updates} updates after a warm-up one`);
console.log('| target | copies | workers | mode | transitions/s | CPU µs / transition | policy lag | load average after |');
console.log('|---|---|---|---|---|---|---|---|');
for (const name of values.targets.split(',').filter(Boolean)) {
  const game = await gameOf(name);
  const config = name === 'cartpole' ? ENVS.cartpole!.config : {};
  const copies = name === 'cartpole' ? ENVS.cartpole!.config.numEnvs ?? 4 : game.copies;
  for (const n of counts) {
    if (n === 1) {
      const fast = new FastTrainer(game, nodeBackends, { seed: 1, backend: 'kernels', ...(name === 'cartpole' ? { copies, config } : {}) });
      await fast.start();
      const r = await measure(() => fast.runUpdate());
      fast.dispose();
      console.log(`| ${name} | ${copies} | 1 | one thread | ${fmt(r.sps)} | ${r.cpuUs.toFixed(1)} | ${r.lag} | ${load()} |`);
      continue;
    }
    for (const [overlap, learnerActs, mode] of [[false, false, 'lockstep'], [true, false, 'overlap'], [true, true, `overlap, learner acts (${n - 1} actor threads)`]] as const) {
      const t = new ParallelTrainer(game, nodeBackends, { workers: n, source: { name }, copies, seed: 1, backend: 'kernels', config, overlap, learnerActs });
      await t.start();
      const r = await measure(() => t.runUpdate());
      t.dispose();
      console.log(`| ${name} | ${copies} | ${n} | ${mode} | ${fmt(r.sps)} | ${r.cpuUs.toFixed(1)} | ${r.lag} | ${load()} |`);
    }
  }
}

const seeds = values.seeds.split(',').filter(Boolean).map(Number);
if (seeds.length) {
  const n = Math.max(...counts);
  console.log(`\n2. CartPole to 475 (last 20 episodes), CleanRL ppo.py defaults: one thread, ${n} overlapping workers, the PyTorch peer (one thread)`);
  console.log(`| seed | one thread s (steps) | ${n} workers s (steps; start s) | peer s (steps) | ratio one thread / peer | ratio ${n} workers / peer | load average after |`);
  console.log('|---|---|---|---|---|---|---|');
  const missing = missingPeer(peerScript);
  for (const seed of seeds) {
    const t0 = performance.now();
    const one = new Trainer({ env: ENVS.cartpole!.create, envName: 'cartpole', config: { ...ENVS.cartpole!.config, seed }, engine: (l) => new KernelsEngine(l) });
    const h = one.run({ targetReturn: 475 });
    const oneS = (performance.now() - t0) / 1000;
    one.dispose();
    const oneLast = h[h.length - 1]!;
    const t1 = performance.now();
    const par = new ParallelTrainer(envGame('cartpole', ENVS.cartpole!.create, ENVS.cartpole!.config), nodeBackends, {
      workers: n, source: { name: 'cartpole' }, copies: ENVS.cartpole!.config.numEnvs ?? 4, seed, backend: 'kernels', config: { ...ENVS.cartpole!.config, seed },
    });
    await par.start();
    const startS = (performance.now() - t1) / 1000;
    let last: FastUpdate | null = null;
    while (!par.done) {
      last = await par.runUpdate();
      if (last.returnMean >= 475) break;
    }
    const parS = (performance.now() - t1) / 1000;
    par.dispose();
    const mark = (reached: boolean) => (reached ? '' : ', not reached');
    let peerCols = `skipped | – | –`;
    if (!missing) {
      const p = runPeer(peerScript, seed, values.cap);
      // A ratio only when both reached 475; a capped peer run bounds it from above.
      const ratio = (s: number, reached: boolean) => (typeof p === 'string' || !reached ? 'n/a' : p.reached ? (s / p.seconds).toFixed(3) : `< ${(s / p.seconds).toFixed(3)} (peer capped)`);
      peerCols = typeof p === 'string' ? `${p} | – | –`
        : `${p.seconds.toFixed(1)} (${fmt(p.steps)}${mark(p.reached)}) | ${ratio(oneS, oneLast.returnMean >= 475)} | ${ratio(parS, last!.returnMean >= 475)}`;
    }
    console.log(`| ${seed} | ${oneS.toFixed(2)} (${fmt(oneLast.step)}${mark(oneLast.returnMean >= 475)}) | ${parS.toFixed(2)} (${fmt(last!.step)}${mark(last!.returnMean >= 475)}; ${startS.toFixed(1)}) | ${peerCols} | ${load()} |`);
  }
  if (missing) console.log(`\npeer skipped: ${missing}`);
}
console.log(`\nload average at the end: ${load()}`);
