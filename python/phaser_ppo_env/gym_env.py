"""Gymnasium wrappers (only when gymnasium is installed).

``PhaserEnv``: one agent, a ``gymnasium.Env`` (serve with ``--copies 1`` a one-behavior game with
one agent per copy): what SB3's ``SubprocVecEnv`` and RLlib's env creators take, one server per
env. ``PhaserVectorEnv``: every agent of a one-behavior game as a ``gymnasium.vector.VectorEnv``
with same-step autoreset."""
from __future__ import annotations

from typing import Any, Dict, Optional

import gymnasium as gym
import numpy as np
from gymnasium.vector.utils import batch_space

from .spaces import action_row, action_space, observation_space
from .vec_env import PhaserVecEnv


class PhaserEnv(gym.Env):
    """One agent of a served game as a Gymnasium Env.

    >>> env = PhaserEnv(port=5005)      # phaser-ppo serve balance --port 5005 --copies 1
    >>> obs, info = env.reset(seed=1)
    >>> obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    """

    metadata = {"render_modes": []}

    def __init__(self, host: str = "127.0.0.1", port: int = 5005, behavior: Optional[str] = None):
        self.vec = PhaserVecEnv(host, port, behavior)
        if self.vec.num_envs != 1:
            raise ValueError(f"PhaserEnv drives one agent; {self.vec.behavior!r} has {self.vec.num_envs} (serve with --copies 1, or use PhaserVectorEnv)")
        self.observation_space = observation_space(self.vec.spec)
        self.action_space = action_space(self.vec.action_space)
        # The server starts the next episode at once; reset() without a seed hands out its first observation.
        self._next_obs: Optional[np.ndarray] = None

    def reset(self, *, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None):
        super().reset(seed=seed)
        if seed is None and self._next_obs is not None:
            obs, self._next_obs = self._next_obs, None
            return obs, {}
        obs, _ = self.vec.reset(seed)
        self._next_obs = None
        return obs[0], {}

    def step(self, action):
        obs, reward, terminated, truncated, infos = self.vec.step([action_row(self.vec.action_space, action)])
        info: Dict[str, Any] = {"episodes": infos["episodes"]}
        if terminated[0] or truncated[0]:
            self._next_obs = obs[0]
            obs = infos["final_obs"]
        return obs[0], float(reward[0]), bool(terminated[0]), bool(truncated[0]), info

    def close(self):
        self.vec.close()


class PhaserVectorEnv(gym.vector.VectorEnv):
    """Every agent of a one-behavior game as a Gymnasium VectorEnv (same-step autoreset: the
    observation of an ended sub-env is its next episode's first; ``infos["final_obs"]`` holds the
    last one where ``infos["_final_obs"]``)."""

    metadata = {"autoreset_mode": getattr(getattr(gym.vector, "AutoresetMode", None), "SAME_STEP", "same-step")}

    def __init__(self, host: str = "127.0.0.1", port: int = 5005, behavior: Optional[str] = None):
        self.vec = PhaserVecEnv(host, port, behavior)
        self.num_envs = self.vec.num_envs
        self.single_observation_space = observation_space(self.vec.spec)
        self.single_action_space = action_space(self.vec.action_space)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)

    def reset(self, *, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None):
        seed = seed[0] if isinstance(seed, (list, tuple)) else seed
        return self.vec.reset(seed)

    def step(self, actions):
        kind = self.vec.action_space["kind"]
        if kind == "hybrid":
            rows = [action_row(self.vec.action_space, {"continuous": actions["continuous"][i], "discrete": actions["discrete"][i]}) for i in range(self.num_envs)]
        else:
            rows = np.asarray(actions).reshape(self.num_envs, -1)
        return self.vec.step(rows)

    def close_extras(self, **kwargs):
        self.vec.close()
