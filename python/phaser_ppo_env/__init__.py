"""Python side of ``phaser-ppo serve``: drive a Phaser game's headless copies from any Python
learner. Importing needs only numpy; the Gymnasium and PettingZoo classes exist when those
packages are installed."""
from .client import BridgeClient, BridgeError, MAJOR_VERSION, MINOR_VERSION, PROTOCOL
from .vec_env import PhaserVecEnv
from .brain import write_brain

__all__ = ["BridgeClient", "BridgeError", "PhaserVecEnv", "write_brain", "PROTOCOL", "MAJOR_VERSION", "MINOR_VERSION"]

try:  # optional: Gymnasium
    from .gym_env import PhaserEnv, PhaserVectorEnv  # noqa: F401

    __all__ += ["PhaserEnv", "PhaserVectorEnv"]
except ImportError:
    pass

try:  # optional: PettingZoo
    from .pettingzoo_env import PhaserParallelEnv  # noqa: F401

    __all__ += ["PhaserParallelEnv"]
except ImportError:
    pass
