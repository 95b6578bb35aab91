"""Writes a random actor-critic in torch's state_dict layout (numpy arrays) as a phaser-ppo brain
for a hybrid action space (2 continuous dims, branches 3 and 2), with observation statistics, and
prints the greedy actions it takes (Gaussian means, then each branch's argmax) for fixed
observations: sdk/bridge/python.test.ts checks that phaser-ppo's policy takes the same.
Usage: python3 roundtrip_numpy.py OUT_DIR  (needs only numpy)."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from phaser_ppo_env import write_brain  # noqa: E402

out = sys.argv[1]
rng = np.random.default_rng(7)
O, H, C, BRANCHES = 5, [16, 8], 2, [3, 2]
A = C + sum(BRANCHES)
space = {"kind": "hybrid", "continuous": {"kind": "box", "size": C, "low": [-1, -1], "high": [1, 1]}, "discrete": {"kind": "multiDiscrete", "nvec": BRANCHES}}


def mlp(prefix, sizes):
    layers = {}
    for i in range(len(sizes) - 1):
        # torch.nn.Sequential(Linear, Tanh, Linear, ...) numbers its Linear layers 0, 2, 4.
        layers[f"{prefix}.{2 * i}.weight"] = rng.normal(0, 0.7, (sizes[i + 1], sizes[i])).astype(np.float32)
        layers[f"{prefix}.{2 * i}.bias"] = rng.normal(0, 0.3, sizes[i + 1]).astype(np.float32)
    return layers


state = {**mlp("actor_mean", [O, *H, A]), **mlp("critic", [O, *H, 1]), "actor_logstd": np.full((1, C), -0.5, dtype=np.float32)}
mean, var = rng.normal(0, 1, O), rng.uniform(0.5, 2, O)
write_brain(out, state, "hybrid-test", O, space, H, obs_mean=mean, obs_var=var, obs_count=100.0)

obs = rng.normal(0, 2, (32, O)).astype(np.float32)
x = np.clip((obs.astype(np.float64) - mean) / np.sqrt(var + 1e-8), -10, 10)
for i in range(len(H) + 1):
    w, b = state[f"actor_mean.{2 * i}.weight"].astype(np.float64), state[f"actor_mean.{2 * i}.bias"].astype(np.float64)
    x = x @ w.T + b
    if i < len(H):
        x = np.tanh(x)
actions = np.concatenate([x[:, :C], x[:, C:C + 3].argmax(1)[:, None], x[:, C + 3:].argmax(1)[:, None]], axis=1)
# A branch whose two best logits are this close may flip on float rounding: the test skips those.
margins = np.stack([np.sort(x[:, C:C + 3], 1)[:, -1] - np.sort(x[:, C:C + 3], 1)[:, -2], np.abs(x[:, C + 3] - x[:, C + 4])], 1)
with open(os.path.join(out, "probe.json"), "w") as f:
    json.dump({"observations": obs.tolist(), "actions": actions.tolist(), "margins": margins.tolist()}, f)
