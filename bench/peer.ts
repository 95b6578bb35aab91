/**
 * `npm run bench:peer`: phaser-ppo against the speed peer, side by side in one run on this
 * machine. Prints figures, asserts nothing (speed is measured here, never in tests).
 *
 *   1. CartPole to a mean return of 475 (last 20 episodes), CleanRL's ppo.py defaults, per seed:
 *      phaser-ppo (Trainer, kernels engine, one thread) then the CleanRL-style PyTorch PPO in
 *      ../shared/peers/cleanrl-torch (`--threads 1 --cap 600`), wall seconds and env steps/s of
 *      each and the wall-time ratio (phaser-ppo / peer; issue 18's bar: ≤ 0.08). The peer is
 *      skipped, with a message, when /usr/bin/python3 lacks torch or numpy, or the peer is absent.
 *   2. The games' training transitions/s (`bench/games.ts`'s training figures, same process
 *      arguments), so both sit in one report with the same machine load.
 *
 * The load average is printed before and after: on a shared machine the figures move with it.
 *
 * Options: --seeds 1,2,3  --cap 600 (peer seconds)  --games balance,lander,chase ('' to skip)
 *          --updates 8 (per game figure)
 *          --peer PATH (default ../shared/peers/cleanrl-torch/ppo_cleanrl.py beside the repo)
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Trainer } from '../sdk/runtime/trainer.js';
import { KernelsEngine } from '../sdk/rl/kernels-engine.js';
import { ENVS } from '../sdk/envs/index.js';
import { missingPeer, runPeer, type Run } from './cleanrl-peer.js';

const { values } = parseArgs({ options: {
  seeds: { type: 'string', default: '1,2,3' }, cap: { type: 'string', default: '600' },
  games: { type: 'string', default: 'balance,lander,chase' }, updates: { type: 'string', default: '8' }, peer: { type: 'string' },
} });
const seeds = values.seeds.split(',').map(Number);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const peerScript = resolve(values.peer ?? resolve(repo, '../shared/peers/cleanrl-torch/ppo_cleanrl.py'));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

function ours(seed: number): Run {
  const trainer = new Trainer({ env: ENVS.cartpole!.create, envName: 'cartpole', config: { ...ENVS.cartpole!.config, seed }, engine: (l) => new KernelsEngine(l) });
  const t0 = performance.now();
  const history = trainer.run({ targetReturn: 475 });
  const seconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  const last = history[history.length - 1]!;
  return { seconds, steps: last.step, sps: last.step / seconds, reached: last.returnMean >= 475 };
}

const peer = (seed: number) => runPeer(peerScript, seed, values.cap);
const peerMissing = () => missingPeer(peerScript);

console.log(`phaser-ppo vs the CleanRL-style PyTorch peer, node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);
console.log(`load average (1/5/15 min) at start: ${load()}\n`);
console.log('1. CartPole to 475 (last 20 episodes), CleanRL ppo.py defaults, one thread each');
console.log('| seed | phaser-ppo s | phaser-ppo steps/s | peer s | peer steps/s | ratio (ours / peer) |');
console.log('|---|---|---|---|---|---|');
const missing = peerMissing();
const ratios: number[] = [];
const oursSps: number[] = [];
for (const seed of seeds) {
  const a = ours(seed);
  oursSps.push(a.sps);
  const mark = (r: Run) => (r.reached ? '' : ' (not reached)');
  let peerCols = `skipped | – | –`;
  if (!missing) {
    const b = peer(seed);
    if (typeof b === 'string') peerCols = `${b} | – | –`;
    else {
      // A ratio only when both reached 475; a capped peer run bounds it from above.
      const ratio = a.seconds / b.seconds;
      if (a.reached && b.reached) ratios.push(ratio);
      const shown = a.reached && b.reached ? ratio.toFixed(3) : a.reached ? `< ${ratio.toFixed(3)} (peer capped)` : 'n/a';
      peerCols = `${b.seconds.toFixed(1)}${mark(b)} | ${b.sps.toFixed(0)} | ${shown}`;
    }
  }
  console.log(`| ${seed} | ${a.seconds.toFixed(2)}${mark(a)} | ${a.sps.toFixed(0)} | ${peerCols} |`);
}
if (missing) console.log(`\npeer skipped: ${missing}`);
console.log(`\nphaser-ppo median ${median(oursSps).toFixed(0)} env steps/s${ratios.length ? `; wall-time ratio median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)})` : ''}`);
console.log(`load average after CartPole: ${load()}`);

if (values.games) {
  console.log('\n2. Games, training transitions/s (bench/games.ts)');
  const r = spawnSync(process.execPath, [...process.execArgv, join(here, 'games.ts'), '--games', values.games, '--updates', values.updates], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`bench/games.ts exited ${r.status}`);
  console.log(`load average at the end: ${load()}`);
}
