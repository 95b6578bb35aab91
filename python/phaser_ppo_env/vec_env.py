"""A numpy vector env over one behavior of a served game: what CleanRL-style code and the
Gymnasium/PettingZoo wrappers build on. Every agent of the behavior (over all copies) is one
sub-env; episodes reset by themselves (same-step autoreset: an ended agent's returned
observation is its next episode's first, the last one is in ``infos["final_obs"]``)."""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

import numpy as np

from .client import BridgeClient, BridgeError


def obs_bounds(behavior: Dict[str, Any]) -> Tuple[np.ndarray, np.ndarray]:
    space = behavior["observation_space"]
    low = np.array([-np.inf if v is None else v for v in space["low"]], dtype=np.float32)
    high = np.array([np.inf if v is None else v for v in space["high"]], dtype=np.float32)
    return low, high


class PhaserVecEnv:
    """``reset(seed) -> (obs, infos)``, ``step(actions) -> (obs, rewards, terminated, truncated, infos)``
    with arrays of ``num_envs`` rows; actions are ``(num_envs,)`` ints for one discrete branch or
    ``(num_envs, action_size)`` rows ``[continuous..., discrete...]``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 5005, behavior: Optional[str] = None, client: Optional[BridgeClient] = None):
        self.client = client or BridgeClient(host, port)
        self.info = self.client.env_info()
        names = [b["name"] for b in self.info["behaviors"]]
        if len(names) != 1:
            # Each step must answer every behavior that awaits actions: one behavior per vector env.
            self.client.close()  # the server serves one client at a time: free it for the right one
            raise BridgeError(f"PhaserVecEnv drives one-behavior games; {self.info['game']!r} has {names}: use PhaserParallelEnv")
        if behavior is not None and behavior != names[0]:
            self.client.close()
            raise BridgeError(f"no behavior {behavior!r} in game {self.info['game']!r}; its behavior: {names[0]!r}")
        behavior = names[0]
        self.behavior = behavior
        self.spec = next(b for b in self.info["behaviors"] if b["name"] == behavior)
        self.num_envs = self.spec["agents"]
        self.observation_size = self.spec["observation_space"]["shape"][0]
        self.action_space = self.spec["action_space"]
        self.action_size = self.spec["action_size"]

    def _unpack(self, reply: Dict[str, Any]):
        b = reply["behaviors"].get(self.behavior)
        if b is None:
            raise BridgeError(f"the server did not ask {self.behavior!r} for actions")
        obs = np.asarray(b["obs"], dtype=np.float32).reshape(-1, self.observation_size)
        if obs.shape[0] != self.num_envs:
            raise BridgeError(f"{self.behavior!r} now has {obs.shape[0]} agents, it had {self.num_envs}: a vector env needs a fixed count")
        infos: Dict[str, Any] = {"episodes": b["episodes"], "agent_names": b["agent_names"]}
        if b["final_obs"]:
            final = np.zeros_like(obs)
            mask = np.zeros(self.num_envs, dtype=bool)
            for k, v in b["final_obs"].items():
                final[int(k)] = v
                mask[int(k)] = True
            infos["final_obs"], infos["_final_obs"] = final, mask
        if "action_mask" in b:
            infos["action_mask"] = np.asarray(b["action_mask"], dtype=bool)
        return obs, np.asarray(b["reward"], dtype=np.float32), np.asarray(b["terminated"], dtype=bool), np.asarray(b["truncated"], dtype=bool), infos

    def reset(self, seed: Optional[int] = None):
        obs, _, _, _, infos = self._unpack(self.client.reset(seed))
        return obs, infos

    def step(self, actions):
        return self._unpack(self.client.step({self.behavior: actions}))

    def close(self) -> None:
        self.client.close()
