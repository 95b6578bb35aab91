"""Drives the Gymnasium and PettingZoo wrappers against live servers with minimal stand-ins for
gymnasium and pettingzoo (not installable here): checks the wrappers' own logic (spaces, action
rows, autoreset, who is asked), not conformance to the real packages.
Usage: python3 wrappers_stub.py BALANCE_PORT LINE_PORT  (balance served with --copies 1)."""
import os
import sys
import types

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def install_stubs():
    gym = types.ModuleType("gymnasium")
    spaces = types.ModuleType("gymnasium.spaces")
    vector = types.ModuleType("gymnasium.vector")
    vutils = types.ModuleType("gymnasium.vector.utils")

    class Box:
        def __init__(self, low, high, shape=None, dtype=np.float32):
            self.low, self.high = np.asarray(low, dtype=dtype), np.asarray(high, dtype=dtype)
            self.shape = self.low.shape

    class Discrete:
        def __init__(self, n):
            self.n = n

    class MultiDiscrete:
        def __init__(self, nvec):
            self.nvec = np.asarray(nvec)

    class Dict:
        def __init__(self, d):
            self.spaces = d

    class Env:
        def reset(self, *, seed=None, options=None):
            pass

    class VectorEnv:
        def close(self):
            self.close_extras()

    spaces.Box, spaces.Discrete, spaces.MultiDiscrete, spaces.Dict = Box, Discrete, MultiDiscrete, Dict
    gym.spaces, gym.Env, gym.vector = spaces, Env, vector
    vector.VectorEnv, vector.utils = VectorEnv, vutils
    vutils.batch_space = lambda space, n: ("batched", space, n)
    pz = types.ModuleType("pettingzoo")
    pz.ParallelEnv = type("ParallelEnv", (), {})
    sys.modules.update({"gymnasium": gym, "gymnasium.spaces": spaces, "gymnasium.vector": vector, "gymnasium.vector.utils": vutils, "pettingzoo": pz})


install_stubs()
import phaser_ppo_env as ppe  # noqa: E402

balance_port, line_port = int(sys.argv[1]), int(sys.argv[2])
assert {"PhaserEnv", "PhaserVectorEnv", "PhaserParallelEnv"} <= set(ppe.__all__), ppe.__all__

# gymnasium.Env: one agent; an ended episode returns its last observation, reset() the next first.
env = ppe.PhaserEnv(port=balance_port)
assert env.action_space.n == 2 and env.observation_space.shape == (7,)
obs, _ = env.reset(seed=3)
total, steps, done = 0.0, 0, False
while not done:
    obs, reward, terminated, truncated, info = env.step(1)
    total, steps, done = total + reward, steps + 1, terminated or truncated
assert terminated and not truncated, (terminated, truncated)
assert [e["return"] for e in info["episodes"]] == [total], (info, total)
first, _ = env.reset()
assert not np.allclose(first, obs), "reset() after an end must give the next episode's first observation, not the last"
obs2, *_ = env.step(0)
env.close()

# gymnasium VectorEnv over the same server (one client at a time: the Env above closed).
venv = ppe.PhaserVectorEnv(port=balance_port)
assert venv.num_envs == 1
o, _ = venv.reset(seed=3)
assert o.shape == (1, 7)
ends = 0
for _ in range(200):
    o, r, te, tr, infos = venv.step(np.array([1]))
    if te[0] or tr[0]:
        ends += 1
        assert infos["_final_obs"][0] and infos["final_obs"].shape == (1, 7)
assert ends >= 2, ends
venv.close()

# A vector env needs a one-behavior game, and says what to use instead (and frees the server).
try:
    ppe.PhaserVecEnv(port=line_port)
    raise AssertionError("a two-behavior game must be refused by PhaserVecEnv")
except ppe.BridgeError as e:
    assert "use PhaserParallelEnv" in str(e), e

# PettingZoo ParallelEnv: every behavior; the steerer (every 3rd tick) is asked every 3rd step.
pz = ppe.PhaserParallelEnv(port=line_port)
assert pz.possible_agents == ["walker/w0a", "walker/w0b", "steerer/s0"], pz.possible_agents
assert pz.action_space("steerer/s0").shape == (2,) and pz.action_space("walker/w0a").n == 3
obs, _ = pz.reset(seed=1)
asked = []
for _ in range(6):
    actions = {a: (np.array([0.5, -0.5]) if a.startswith("steerer") else 2) for a in obs}
    obs, rewards, terms, truncs, infos = pz.step(actions)
    asked.append(sorted(obs))
assert [len(a) for a in asked] == [2, 2, 3, 2, 2, 3], asked
assert all(isinstance(v, bool) for v in terms.values()) and set(rewards) == set(obs)
try:
    pz.step({"walker/w0a": 1})
    raise AssertionError("a step without every asked agent's action must be refused")
except ppe.BridgeError as e:
    assert "no actions for" in str(e), e
pz.close()
print("wrappers ok")
