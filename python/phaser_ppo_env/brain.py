"""Coming back from Python: write a torch (or numpy) actor-critic MLP as a phaser-ppo brain
(``brain.json`` + ``weights.bin``) that the page and ``phaser-ppo eval`` load.

The network must have phaser-ppo's layout (sdk/rl/network.ts ``ActorCriticLayout``): separate
actor and critic MLPs with tanh hidden layers of ``hidden_sizes``; the actor's head gives the
logits (discrete: one per choice of each branch) or the Gaussian means (continuous, then a
log-std vector), the critic's one value. In a state_dict, the actor's ``nn.Linear`` layers are the
keys ``actor.<i>.weight``/``.bias`` (or CleanRL's ``actor_mean.<i>``), the critic's
``critic.<i>.*``, the log-std ``actor_logstd`` (CleanRL) or ``log_std``. Only numpy is needed."""
from __future__ import annotations

import json
import os
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

BRAIN_FORMAT = "phaser-ppo-brain"
BRAIN_FORMAT_VERSION = 2
SDK_VERSION = "0.1.0"


def _np(v: Any) -> np.ndarray:
    if hasattr(v, "detach"):
        v = v.detach().cpu().numpy()
    return np.asarray(v, dtype=np.float32)


def _linear_layers(state: Dict[str, Any], prefixes: Sequence[str]) -> List[Tuple[np.ndarray, np.ndarray]]:
    for prefix in prefixes:
        pattern = re.compile(rf"^{re.escape(prefix)}\.(\d+)\.weight$")
        indices = sorted(int(m.group(1)) for k in state for m in [pattern.match(k)] if m)
        if indices:
            return [(_np(state[f"{prefix}.{i}.weight"]), _np(state[f"{prefix}.{i}.bias"])) for i in indices]
    raise ValueError(f"state_dict has no linear layers under {' or '.join(repr(p + '.<i>.weight') for p in prefixes)}; keys: {sorted(state)[:12]}")


def _action_sizes(space: Dict[str, Any]) -> Tuple[int, int]:
    """(actor output size, log-std size) of an action space as ``env_info`` gives it."""
    kind = space["kind"]
    if kind == "discrete":
        return int(space["n"]), 0
    if kind == "multiDiscrete":
        return int(sum(space["nvec"])), 0
    if kind == "box":
        return int(space["size"]), int(space["size"])
    if kind == "hybrid":
        c = int(space["continuous"]["size"])
        return c + int(sum(space["discrete"]["nvec"])), c
    raise ValueError(f"action_space kind {kind!r}: expected discrete, multiDiscrete, box or hybrid")


def write_brain(
    out_dir: str,
    state_dict: Dict[str, Any],
    env: str,
    observation_size: int,
    action_space: Dict[str, Any],
    hidden_sizes: Sequence[int],
    obs_mean: Optional[Sequence[float]] = None,
    obs_var: Optional[Sequence[float]] = None,
    obs_count: float = 1.0,
    obs_clip: float = 10.0,
    steps: int = 0,
) -> str:
    """Writes ``out_dir/brain.json`` and ``out_dir/weights.bin``; returns the brain.json path.

    ``env`` is the behavior (or env) name the brain plays; ``action_space`` as ``env_info``
    gives it; ``obs_mean``/``obs_var`` the observation normalizer's statistics when the policy
    saw ``clip((obs - mean) / sqrt(var + 1e-8), ±obs_clip)`` (None: raw observations)."""
    hidden = [int(h) for h in hidden_sizes]
    out_size, log_std_size = _action_sizes(action_space)
    actor = _linear_layers(state_dict, ["actor", "actor_mean"])
    critic = _linear_layers(state_dict, ["critic"])
    sizes_actor = [observation_size, *hidden, out_size]
    sizes_critic = [observation_size, *hidden, 1]
    tensors: List[Tuple[str, np.ndarray]] = []

    def add_net(name: str, layers: List[Tuple[np.ndarray, np.ndarray]], sizes: List[int]) -> None:
        if len(layers) != len(sizes) - 1:
            raise ValueError(f"{name}: {len(layers)} linear layers, the layout {sizes} needs {len(sizes) - 1}")
        for i, (w, b) in enumerate(layers):
            want = (sizes[i + 1], sizes[i])  # torch's Linear stores [out, in]
            if w.shape != want or b.shape != (sizes[i + 1],):
                raise ValueError(f"{name} layer {i}: weight {w.shape} and bias {b.shape}, expected {want} and ({sizes[i + 1]},) for layout {sizes}")
            tensors.append((f"{name}/dense_{i}/kernel", np.ascontiguousarray(w.T)))  # phaser-ppo: [in x out], row-major
            tensors.append((f"{name}/dense_{i}/bias", b))

    add_net("actor", actor, sizes_actor)
    if log_std_size:
        key = next((k for k in ("actor_logstd", "log_std", "actor.log_std") if k in state_dict), None)
        if key is None:
            raise ValueError("continuous actions need the log-std vector: state_dict key 'actor_logstd' or 'log_std'")
        log_std = _np(state_dict[key]).reshape(-1)
        if log_std.shape != (log_std_size,):
            raise ValueError(f"{key}: {log_std.size} values, expected {log_std_size}")
        tensors.append(("actor/log_std", log_std))
    add_net("critic", critic, sizes_critic)

    flat = np.concatenate([t.reshape(-1) for _, t in tensors]).astype("<f4")
    if not np.all(np.isfinite(flat)):
        raise ValueError("the weights hold NaN or infinity")
    normalizer = None
    if obs_mean is not None:
        mean, var = np.asarray(obs_mean, dtype=np.float64).reshape(-1), np.asarray(obs_var, dtype=np.float64).reshape(-1)
        if mean.shape != (observation_size,) or var.shape != (observation_size,):
            raise ValueError(f"obs_mean and obs_var need {observation_size} values each")
        normalizer = {"mean": mean.tolist(), "var": var.tolist(), "count": float(obs_count)}
    manifest = {
        "format": BRAIN_FORMAT,
        "formatVersion": BRAIN_FORMAT_VERSION,
        "sdkVersion": SDK_VERSION,
        "env": env,
        "observationSpace": {"kind": "box", "size": observation_size, "low": [None] * observation_size, "high": [None] * observation_size},
        "actionSpace": action_space,
        "config": {"hiddenSizes": hidden, "normalizeObs": normalizer is not None, "obsClip": float(obs_clip)},
        "normalizer": {"observation": normalizer},
        "policyVersion": 0,
        "steps": int(steps),
        "generatedBy": "phaser_ppo_env.write_brain",
        "weightsManifest": [{"paths": ["weights.bin"], "weights": [{"name": n, "shape": list(t.shape), "dtype": "float32"} for n, t in tensors]}],
    }
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "weights.bin"), "wb") as f:
        f.write(flat.tobytes())
    path = os.path.join(out_dir, "brain.json")
    with open(path, "w") as f:
        json.dump(manifest, f, indent=1)
    return path
