/**
 * Splits one behavior of a game by `Agent.team`, for self-play and for evaluating a brain against
 * another: the agents of one team stay in the behavior, the other teams' agents go to a second
 * behavior, `<name>@opponents`, which the `Collector` gives its own runner (an inference
 * runner with frozen weights). Nothing else changes: the game's copies still add their agents to
 * the one behavior they declare.
 *
 * Which team is "own" may change while the game runs ({@link TeamSplit.regroup}): agents then move
 * between the two runners (each move drops the episode in flight there, unrecorded, and a rollout
 * that recorded the agent; a match in progress goes on in the world).
 */
import type { Agent } from '../adapter/agent.js';
import { EnvError } from '../core/errors.js';
import type { CopyContext, HeadlessGame } from './game.js';

/** The behavior that plays the other teams' agents of `behavior`. */
export function opponentsOf(behavior: string): string {
  return `${behavior}@opponents`;
}

export class TeamSplit {
  /** The game the Collector runs: the original's behaviors plus `<behavior>@opponents`. */
  readonly game: HeadlessGame;
  /** Every agent the copies added to the split behavior, in order. */
  readonly agents: Agent[] = [];
  /** Teams seen (highest team id + 1). */
  teams = 0;
  private ctx: CopyContext | null = null;

  /** `ownTeam()` says which team stays in `behavior` (read as each agent joins). */
  constructor(readonly original: HeadlessGame, readonly behavior: string, private readonly ownTeam: () => number) {
    const b = original.behaviors.find((x) => x.name === behavior);
    if (!b) throw new EnvError(`game "${original.name}" has no behavior "${behavior}" to split by team`);
    const opponents = opponentsOf(behavior);
    this.game = {
      name: original.name,
      copies: original.copies,
      behaviors: [...original.behaviors, { ...b, name: opponents }],
      createCopy: (index, seed, ctx) => {
        this.ctx = ctx;
        return original.createCopy(index, seed, {
          params: ctx.params,
          addAgent: (name, agent) => {
            if (name !== behavior) return ctx.addAgent(name, agent);
            this.agents.push(agent);
            this.teams = Math.max(this.teams, agent.team + 1);
            ctx.addAgent(agent.team === this.ownTeam() ? behavior : opponents, agent);
          },
          removeAgent: (agent) => {
            const i = this.agents.indexOf(agent);
            if (i >= 0) this.agents.splice(i, 1);
            return ctx.removeAgent(agent);
          },
        });
      },
    };
  }

  /** Moves every agent whose team changed sides since the last call to the runner it now belongs to. */
  regroup(members: ReadonlyMap<string, readonly Agent[]>): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const own = this.ownTeam();
    const here = members.get(this.behavior) ?? [];
    for (const agent of this.agents) {
      const wanted = agent.team === own;
      if (wanted === here.includes(agent)) continue;
      ctx.removeAgent(agent);
      ctx.addAgent(wanted ? this.behavior : opponentsOf(this.behavior), agent);
    }
  }
}
