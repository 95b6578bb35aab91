/**
 * `phaser-ppo record <game> [--episodes N] [--out DIR] [--seed S] [--behavior NAME]`: plays a
 * game's scripted heuristic headless and writes the recorded episodes as a demonstration
 * (`DIR/demo.json` + its data file), for behaviour cloning and GAIL.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fsCause } from '../io/files.node.js';
import { pathToFileURL } from 'node:url';
import { PhaserPpoError } from '../core/errors.js';
import { demonstrationExists, saveDemonstration } from '../io/demonstration.node.js';
import { summarizeDemonstration } from '../io/demonstration.js';
import { recordGame } from '../runtime/record.js';
import { CliError, parseRecordArgs, RECORD_USAGE, type RecordArgs } from './args.js';
import { resolveSource } from './env-source.js';

async function main(args: RecordArgs): Promise<void> {
  const source = await resolveSource(args.envName, args.envModule);
  if (source.kind !== 'game') {
    throw new CliError(`"${source.name}" is an environment, not a game: record plays a game's agents by their scripted heuristic (bundled: lander, chase; or your game's headless module)`);
  }
  const { game } = source;
  const out = args.out ?? `demos/${source.name}`;
  // Before playing: a refusal should not cost the recording.
  if (demonstrationExists(out) && !args.force) {
    throw new CliError(`${out} already holds a demonstration (demo.json). Give --force to replace it, or choose another --out.`, '--out');
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    throw new CliError(`cannot use ${out} as the output directory: ${fsCause(err)}`, '--out');
  }
  const behavior = args.behavior ?? game.behaviors[0]!.name;
  const label = game.behaviors.length > 1 ? `${source.name}/${behavior}` : source.name;
  const demo = recordGame(game, {
    episodes: args.episodes, seed: args.seed, behavior,
    onEpisode: args.quiet ? undefined : (c) => {
      process.stdout.write(`record ${label}: episode ${c.episodes}/${args.episodes}, return ${c.lastReturn.toFixed(1)}, mean ${c.meanReturn.toFixed(1)}, ${c.steps} decisions\n`);
    },
  });
  const path = saveDemonstration(out, demo, { recordedBy: `phaser-ppo record ${source.name} --seed ${args.seed}` });
  const s = summarizeDemonstration(demo);
  process.stdout.write(`record ${label}: ${s.episodes} episodes, ${s.steps} decisions, mean return ${s.meanReturn.toFixed(1)} -> ${path}\n`);
}

/** `record` with its command-line arguments (after the command name), as the `phaser-ppo` bin runs it. */
export async function runRecord(argv: string[]): Promise<void> {
  try {
    const args = parseRecordArgs(argv);
    if (args.help) process.stdout.write(RECORD_USAGE);
    else await main(args);
  } catch (err) {
    if (err instanceof PhaserPpoError) {
      process.stderr.write(`record: ${err.message.replace(/^record: /, '')}\n${err instanceof CliError && err.flag === undefined && /missing|expected|unknown/i.test(err.message) ? `\n${RECORD_USAGE}` : ''}`);
      process.exitCode = 2;
    } else {
      throw err;
    }
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) await runRecord(process.argv.slice(2));
