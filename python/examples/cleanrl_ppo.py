"""CleanRL-style single-file PPO (numpy + torch) that trains a served phaser-ppo game over the
bridge, then writes the trained policy as a phaser-ppo brain the page loads.

    npx phaser-ppo serve balance --port 5005 &
    python3 python/examples/cleanrl_ppo.py --port 5005 --total-transitions 150000 --brain-out runs/balance-torch

The last line printed is a JSON summary (transitions, episodes, mean return of the last
--window episodes). Budgets are transitions (one agent's decision), never seconds."""
import argparse
import json
import os
import random
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.distributions.categorical import Categorical

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from phaser_ppo_env import PhaserVecEnv, write_brain  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, default=5005)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--total-transitions", type=int, default=150_000)
p.add_argument("--learning-rate", type=float, default=1e-3)
p.add_argument("--num-steps", type=int, default=64, help="decisions per agent per rollout")
p.add_argument("--gamma", type=float, default=0.99)
p.add_argument("--gae-lambda", type=float, default=0.95)
p.add_argument("--num-minibatches", type=int, default=4)
p.add_argument("--update-epochs", type=int, default=4)
p.add_argument("--clip-coef", type=float, default=0.2)
p.add_argument("--ent-coef", type=float, default=0.01)
p.add_argument("--vf-coef", type=float, default=0.5)
p.add_argument("--max-grad-norm", type=float, default=0.5)
p.add_argument("--hidden", type=int, default=64)
p.add_argument("--window", type=int, default=20, help="episodes in the reported mean return")
p.add_argument("--brain-out", default=None, help="write the trained policy as a phaser-ppo brain here")
p.add_argument("--probe-out", default=None, help="write fixed observations and the policy's greedy actions (round-trip check)")
args = p.parse_args()

random.seed(args.seed)
np.random.seed(args.seed)
torch.manual_seed(args.seed)
torch.set_num_threads(1)

envs = PhaserVecEnv(args.host, args.port)
if envs.action_space["kind"] != "discrete":
    sys.exit(f"this example handles one discrete branch; {envs.behavior!r} has {envs.action_space}")
N, O, A = envs.num_envs, envs.observation_size, int(envs.action_space["n"])
batch_size = N * args.num_steps
minibatch_size = batch_size // args.num_minibatches


class RunningMeanStd:
    """Observation statistics, normalized as phaser-ppo does: clip((x - mean) / sqrt(var + 1e-8), ±10)."""

    def __init__(self, size):
        self.mean, self.var, self.count = np.zeros(size), np.ones(size), 1e-4

    def update(self, x):
        bm, bv, bc = x.mean(0), x.var(0), x.shape[0]
        delta, total = bm - self.mean, self.count + bc
        self.mean = self.mean + delta * bc / total
        self.var = (self.var * self.count + bv * bc + delta ** 2 * self.count * bc / total) / total
        self.count = total

    def normalize(self, x):
        return np.clip((x - self.mean) / np.sqrt(self.var + 1e-8), -10, 10).astype(np.float32)


def layer_init(layer, std=np.sqrt(2)):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, 0.0)
    return layer


class Agent(nn.Module):
    """phaser-ppo's layout: separate tanh MLPs, so write_brain can convert it."""

    def __init__(self):
        super().__init__()
        h = args.hidden
        self.critic = nn.Sequential(layer_init(nn.Linear(O, h)), nn.Tanh(), layer_init(nn.Linear(h, h)), nn.Tanh(), layer_init(nn.Linear(h, 1), 1.0))
        self.actor = nn.Sequential(layer_init(nn.Linear(O, h)), nn.Tanh(), layer_init(nn.Linear(h, h)), nn.Tanh(), layer_init(nn.Linear(h, A), 0.01))

    def get_value(self, x):
        return self.critic(x)

    def get_action_and_value(self, x, action=None):
        dist = Categorical(logits=self.actor(x))
        if action is None:
            action = dist.sample()
        return action, dist.log_prob(action), dist.entropy(), self.critic(x)


agent = Agent()
optimizer = optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)
rms = RunningMeanStd(O)
obs_buf = torch.zeros((args.num_steps, N, O))
act_buf = torch.zeros((args.num_steps, N))
logp_buf = torch.zeros((args.num_steps, N))
rew_buf = torch.zeros((args.num_steps, N))
done_buf = torch.zeros((args.num_steps, N))
val_buf = torch.zeros((args.num_steps, N))

raw, _ = envs.reset(seed=args.seed)
rms.update(raw)
next_obs = torch.tensor(rms.normalize(raw))
next_done = torch.zeros(N)
returns, transitions = [], 0
num_updates = max(1, args.total_transitions // batch_size)
for update in range(1, num_updates + 1):
    optimizer.param_groups[0]["lr"] = (1.0 - (update - 1.0) / num_updates) * args.learning_rate
    for step in range(args.num_steps):
        transitions += N
        obs_buf[step], done_buf[step] = next_obs, next_done
        with torch.no_grad():
            action, logp, _, value = agent.get_action_and_value(next_obs)
        val_buf[step], act_buf[step], logp_buf[step] = value.flatten(), action, logp
        raw, reward, term, trunc, infos = envs.step(action.numpy())
        rms.update(raw)
        rew_buf[step] = torch.tensor(reward)
        next_obs, next_done = torch.tensor(rms.normalize(raw)), torch.tensor((term | trunc).astype(np.float32))
        returns += [e["return"] for e in infos["episodes"]]
    with torch.no_grad():
        next_value = agent.get_value(next_obs).reshape(1, -1)
        adv = torch.zeros_like(rew_buf)
        last = 0
        for t in reversed(range(args.num_steps)):
            nonterminal = 1.0 - (next_done if t == args.num_steps - 1 else done_buf[t + 1])
            nextv = next_value if t == args.num_steps - 1 else val_buf[t + 1]
            delta = rew_buf[t] + args.gamma * nextv * nonterminal - val_buf[t]
            adv[t] = last = delta + args.gamma * args.gae_lambda * nonterminal * last
        ret = adv + val_buf
    b_obs, b_act, b_logp = obs_buf.reshape(-1, O), act_buf.reshape(-1), logp_buf.reshape(-1)
    b_adv, b_ret, b_val = adv.reshape(-1), ret.reshape(-1), val_buf.reshape(-1)
    idx = np.arange(batch_size)
    for _ in range(args.update_epochs):
        np.random.shuffle(idx)
        for start in range(0, batch_size, minibatch_size):
            mb = idx[start:start + minibatch_size]
            _, newlogp, entropy, newv = agent.get_action_and_value(b_obs[mb], b_act.long()[mb])
            ratio = (newlogp - b_logp[mb]).exp()
            mb_adv = (b_adv[mb] - b_adv[mb].mean()) / (b_adv[mb].std() + 1e-8)
            pg_loss = torch.max(-mb_adv * ratio, -mb_adv * torch.clamp(ratio, 1 - args.clip_coef, 1 + args.clip_coef)).mean()
            newv = newv.view(-1)
            v_clipped = b_val[mb] + torch.clamp(newv - b_val[mb], -args.clip_coef, args.clip_coef)
            v_loss = 0.5 * torch.max((newv - b_ret[mb]) ** 2, (v_clipped - b_ret[mb]) ** 2).mean()
            loss = pg_loss - args.ent_coef * entropy.mean() + args.vf_coef * v_loss
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
            optimizer.step()
    if update % 10 == 0 or update == num_updates:
        recent = returns[-args.window:]
        print(f"update {update}/{num_updates} transitions {transitions} episodes {len(returns)} mean return {np.mean(recent) if recent else float('nan'):.1f}", flush=True)

envs.close()
if args.brain_out:
    write_brain(args.brain_out, agent.state_dict(), envs.behavior, O, envs.action_space, [args.hidden, args.hidden],
                obs_mean=rms.mean, obs_var=rms.var, obs_count=rms.count, steps=transitions)
if args.probe_out:
    # Observations from the last rollout: the same rows must get the same greedy actions in phaser-ppo.
    probe_raw = (b_obs[:64].numpy() * np.sqrt(rms.var + 1e-8) + rms.mean).astype(np.float32)
    with torch.no_grad():
        logits = agent.actor(torch.tensor(rms.normalize(probe_raw))).numpy()
    top2 = np.sort(logits, axis=1)[:, -2:]
    with open(args.probe_out, "w") as f:
        json.dump({"observations": probe_raw.tolist(), "actions": logits.argmax(-1).tolist(), "margins": (top2[:, 1] - top2[:, 0]).tolist()}, f)
recent = returns[-args.window:]
print(json.dumps({"transitions": transitions, "episodes": len(returns), "window": len(recent), "mean_return": float(np.mean(recent)) if recent else None}))
