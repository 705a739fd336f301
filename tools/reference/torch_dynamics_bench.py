#!/usr/bin/python3
"""PyTorch (CPU) side of `wejepa bench dynamics --protocol speed`: torch_engine_bench.py's protocol and workloads plus

  rollout  --rollout-batch trajectories x --rollout-steps RK4 steps (dt 0.01) of the hidden-256 HNN from fixed starts, the
           field by one torch.autograd.grad per stage (as the HNN paper's code integrates)       -> rollout_ms

The HNN training step at batch 4096 is torch_engine_bench's `hnn` (second order, AdamW). With --serve the caller alternates
one run of ours with one of these (see torch_engine_bench.py), under each PyTorchSetting it starts this script with.
Usage: /usr/bin/python3 tools/reference/torch_dynamics_bench.py [--rollout-batch B] [--rollout-steps T] [torch_engine_bench options]
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_engine_bench  # noqa: E402


def hnn_net(hidden=256):
    return nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(), nn.Linear(hidden, 2))


def rollout(net, y, steps, dt):
    def field(x):
        x = x.detach().requires_grad_(True)
        g = torch.autograd.grad(net(x)[:, 1].sum(), x)[0]
        return torch.stack([g[:, 1], -g[:, 0]], 1)

    for _ in range(steps):
        k1 = field(y)
        k2 = field(y + dt / 2 * k1)
        k3 = field(y + dt / 2 * k2)
        k4 = field(y + dt * k3)
        y = y + dt / 6 * ((k1 + 2 * k2) + (2 * k3 + k4))
    return y


def rollout_step(batch, steps):
    """The rollout workload; its first run (serve's untimed warm-up) integrates 2 steps only, not the whole length."""
    def make():
        net = hnn_net().to(torch_engine_bench.DEVICE)
        y0 = torch.rand(batch, 2, device=torch_engine_bench.DEVICE) * 2 - 1
        runs = []

        def step():
            rollout(net, y0, steps if runs else 2, 0.01)
            runs.append(1)
        return step
    return make


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    parser.add_argument("--rollout-batch", type=int, default=4096)
    parser.add_argument("--rollout-steps", type=int, default=1000)
    args, rest = parser.parse_known_args()
    torch_engine_bench.STEPS["rollout"] = rollout_step(args.rollout_batch, args.rollout_steps)
    torch_engine_bench.FIELDS["rollout"] = "rollout_ms"
    sys.argv = [sys.argv[0]] + rest
    torch_engine_bench.main()


if __name__ == "__main__":
    main()
