"""Gymnasium spaces for the bridge's JSON spaces, and actions back to the wire's rows
(``[continuous..., discrete...]``). Imports gymnasium: only the optional wrappers use it."""
from __future__ import annotations

from typing import Any, Dict

import numpy as np
from gymnasium import spaces


def _bounds(values, fill):
    return np.array([fill if v is None else v for v in values], dtype=np.float32)


def observation_space(behavior: Dict[str, Any]) -> spaces.Box:
    s = behavior["observation_space"]
    return spaces.Box(_bounds(s["low"], -np.inf), _bounds(s["high"], np.inf), dtype=np.float32)


def action_space(space: Dict[str, Any]) -> spaces.Space:
    """discrete → Discrete, multiDiscrete → MultiDiscrete, box → Box, hybrid → Dict(continuous=Box, discrete=MultiDiscrete)."""
    kind = space["kind"]
    if kind == "discrete":
        return spaces.Discrete(int(space["n"]))
    if kind == "multiDiscrete":
        return spaces.MultiDiscrete(np.array(space["nvec"], dtype=np.int64))
    if kind == "box":
        return spaces.Box(_bounds(space["low"], -np.inf), _bounds(space["high"], np.inf), dtype=np.float32)
    if kind == "hybrid":
        return spaces.Dict({"continuous": action_space(space["continuous"]), "discrete": action_space(space["discrete"])})
    raise ValueError(f"unknown action space kind {kind!r}")


def action_row(space: Dict[str, Any], action: Any) -> list:
    """One agent's action (as its Gymnasium space holds it) as the wire's row."""
    if space["kind"] == "hybrid":
        return [float(v) for v in np.ravel(action["continuous"])] + [int(v) for v in np.ravel(action["discrete"])]
    if space["kind"] == "box":
        return [float(v) for v in np.ravel(action)]
    return [int(v) for v in np.ravel(action)]
