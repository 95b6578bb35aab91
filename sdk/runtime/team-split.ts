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

/**
 * Which runner each agent of a self-play behavior belongs to: the own (learning) team's, or the
 * opponents'. The one bookkeeping of agents and teams that the headless split ({@link TeamSplit})
 * and a live scene's Behavior both use; the caller moves the agents.
 */
export class TeamRoster {
  /** Every agent that joined (and has not left), in order. */
  readonly agents: Agent[] = [];
  /** Teams seen (highest team id + 1). */
  teams = 0;

  /** `ownTeam()` says which team plays in the own runner now. */
  constructor(readonly ownTeam: () => number) {}

  /** Records `agent`; true when it belongs in the own runner. */
  join(agent: Agent): boolean {
    this.agents.push(agent);
    this.teams = Math.max(this.teams, agent.team + 1);
    return agent.team === this.ownTeam();
  }

  leave(agent: Agent): void {
    const i = this.agents.indexOf(agent);
    if (i >= 0) this.agents.splice(i, 1);
  }

  /**
   * Moves every agent whose team changed sides: `inOwn` says where it is now, `move` takes it out
   * of there and into the other runner.
   */
  regroup(inOwn: (agent: Agent) => boolean, move: (agent: Agent, toOwn: boolean) => void): void {
    const own = this.ownTeam();
    for (const agent of this.agents) {
      const wanted = agent.team === own;
      if (wanted !== inOwn(agent)) move(agent, wanted);
    }
  }
}

export class TeamSplit {
  /** The game the Collector runs: the original's behaviors plus `<behavior>@opponents`. */
  readonly game: HeadlessGame;
  private readonly roster: TeamRoster;
  private ctx: CopyContext | null = null;

  /** `ownTeam()` says which team stays in `behavior` (read as each agent joins). */
  constructor(readonly original: HeadlessGame, readonly behavior: string, ownTeam: () => number) {
    const b = original.behaviors.find((x) => x.name === behavior);
    if (!b) throw new EnvError(`game "${original.name}" has no behavior "${behavior}" to split by team`);
    const opponents = opponentsOf(behavior);
    const roster = new TeamRoster(ownTeam);
    this.roster = roster;
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
            ctx.addAgent(roster.join(agent) ? behavior : opponents, agent);
          },
          removeAgent: (agent) => {
            roster.leave(agent);
            return ctx.removeAgent(agent);
          },
        });
      },
    };
  }

  /** Every agent the copies added to the split behavior, in order. */
  get agents(): readonly Agent[] {
    return this.roster.agents;
  }

  /** Teams seen (highest team id + 1). */
  get teams(): number {
    return this.roster.teams;
  }

  /** Moves every agent whose team changed sides since the last call to the runner it now belongs to. */
  regroup(members: ReadonlyMap<string, readonly Agent[]>): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const here = members.get(this.behavior) ?? [];
    this.roster.regroup((a) => here.includes(a), (agent, toOwn) => {
      ctx.removeAgent(agent);
      ctx.addAgent(toOwn ? this.behavior : opponentsOf(this.behavior), agent);
    });
  }
}
