"""A PettingZoo ``ParallelEnv`` over every behavior and agent of a served game (only when
pettingzoo and gymnasium are installed). Agents are named ``"<behavior>/<agent name>"``; a step
takes actions for the agents of the behaviors that were asked (those in the last observations:
behaviors with slower decision periods are asked less often). Episodes reset by themselves:
agents stay in ``agents``, and an ended one's last observation is in ``infos[agent]["final_obs"]``."""
from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np
from pettingzoo import ParallelEnv

from .client import BridgeClient, BridgeError
from .spaces import action_row, action_space, observation_space


class PhaserParallelEnv(ParallelEnv):
    metadata = {"name": "phaser_ppo", "render_modes": []}

    def __init__(self, host: str = "127.0.0.1", port: int = 5005):
        self.client = BridgeClient(host, port)
        info = self.client.env_info()
        self.behaviors = {b["name"]: b for b in info["behaviors"]}
        self.possible_agents = [f"{b['name']}/{n}" for b in info["behaviors"] for n in b["agent_names"]]
        self.agents = list(self.possible_agents)
        self._obs_spaces = {a: observation_space(self.behaviors[a.split("/", 1)[0]]) for a in self.possible_agents}
        self._act_spaces = {a: action_space(self.behaviors[a.split("/", 1)[0]]["action_space"]) for a in self.possible_agents}
        self._asked: Dict[str, list] = {}

    def observation_space(self, agent):
        return self._obs_spaces[agent]

    def action_space(self, agent):
        return self._act_spaces[agent]

    def _unpack(self, reply):
        obs, rewards, terms, truncs, infos = {}, {}, {}, {}, {}
        self._asked = {}
        for name, b in reply["behaviors"].items():
            agents = [f"{name}/{n}" for n in b["agent_names"]]
            self._asked[name] = agents
            for i, a in enumerate(agents):
                obs[a] = np.asarray(b["obs"][i], dtype=np.float32)
                rewards[a] = float(b["reward"][i])
                terms[a], truncs[a] = bool(b["terminated"][i]), bool(b["truncated"][i])
                infos[a] = {}
                if str(i) in b["final_obs"]:
                    infos[a]["final_obs"] = np.asarray(b["final_obs"][str(i)], dtype=np.float32)
                if "action_mask" in b:
                    infos[a]["action_mask"] = np.asarray(b["action_mask"][i], dtype=np.int8)
        return obs, rewards, terms, truncs, infos

    def reset(self, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None):
        obs, _, _, _, infos = self._unpack(self.client.reset(seed))
        return obs, infos

    def step(self, actions: Dict[str, Any]):
        wire = {}
        for name, agents in self._asked.items():
            missing = [a for a in agents if a not in actions]
            if missing:
                raise BridgeError(f"no actions for {missing[:3]} (behavior {name!r} was asked for every agent's action)")
            space = self.behaviors[name]["action_space"]
            wire[name] = [action_row(space, actions[a]) for a in agents]
        return self._unpack(self.client.step(wire))

    def close(self):
        self.client.close()
