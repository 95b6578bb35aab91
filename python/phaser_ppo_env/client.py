"""The bridge's wire protocol (version 1) on the client side: frames of a 4-byte big-endian
length and UTF-8 JSON, one reply per request. Only the standard library and numpy."""
from __future__ import annotations

import json
import socket
import struct
from typing import Any, Dict, Optional

import numpy as np

PROTOCOL = "phaser-ppo-bridge"
MAJOR_VERSION = 1
MINOR_VERSION = 0
MAX_FRAME_BYTES = 16 * 1024 * 1024


class BridgeError(RuntimeError):
    """The server replied with an error (``fatal``: it closed the connection)."""

    def __init__(self, message: str, fatal: bool = False):
        super().__init__(message)
        self.fatal = fatal


class BridgeClient:
    """A connection to ``phaser-ppo serve``: handshake on connect, then request/reply.

    >>> c = BridgeClient(port=5005)
    >>> info = c.env_info()
    >>> state = c.reset(seed=1)
    >>> state = c.step({"balance": [[0]] * info["behaviors"][0]["agents"]})
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 5005, timeout: Optional[float] = 300.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reply = self.request({"type": "handshake", "major_version": MAJOR_VERSION, "minor_version": MINOR_VERSION})
        if reply.get("protocol") != PROTOCOL:
            raise BridgeError(f"not a phaser-ppo bridge: handshake said {reply!r}", fatal=True)
        self.server_version = (reply["major_version"], reply["minor_version"])
        self.game = reply.get("game")

    def _recv_exact(self, n: int) -> bytes:
        chunks = []
        while n > 0:
            chunk = self.sock.recv(min(n, 1 << 20))
            if not chunk:
                raise BridgeError("the server closed the connection", fatal=True)
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def send(self, message: Dict[str, Any]) -> None:
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        self.sock.sendall(struct.pack(">I", len(body)) + body)

    def receive(self) -> Dict[str, Any]:
        (length,) = struct.unpack(">I", self._recv_exact(4))
        if length > MAX_FRAME_BYTES:
            raise BridgeError(f"frame of {length} bytes is over the {MAX_FRAME_BYTES}-byte limit", fatal=True)
        return json.loads(self._recv_exact(length).decode("utf-8"))

    def request(self, message: Dict[str, Any]) -> Dict[str, Any]:
        self.send(message)
        reply = self.receive()
        if reply.get("type") == "error":
            raise BridgeError(reply.get("message", "unknown error"), bool(reply.get("fatal")))
        return reply

    def env_info(self) -> Dict[str, Any]:
        return self.request({"type": "env_info"})

    def reset(self, seed: Optional[int] = None) -> Dict[str, Any]:
        return self.request({"type": "reset", **({} if seed is None else {"seed": int(seed)})})

    def step(self, actions: Dict[str, Any]) -> Dict[str, Any]:
        """``actions[behavior]``: rows of actions (an (agents, action_size) array, or (agents,) for one discrete branch)."""
        return self.request({"type": "step", "actions": {k: _rows(v) for k, v in actions.items()}})

    def close(self) -> None:
        try:
            self.request({"type": "close"})
        except (BridgeError, OSError):
            pass
        finally:
            self.sock.close()


def _rows(actions: Any) -> list:
    a = np.asarray(actions)
    if a.ndim == 1:
        a = a[:, None]
    # Discrete choices go as integers, continuous ones as floats: the server checks both.
    return [[int(v) if float(v).is_integer() else float(v) for v in row] for row in a.tolist()]
