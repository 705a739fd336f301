#!/usr/bin/python3
"""PyTorch (CPU) side of `wejepa bench dynamics --protocol speed`; prints one JSON object on stdout.

  train    one HNN training step at batch 4096 (hidden 256, second order, AdamW): torch_engine_bench's hnn step -> train_step_ms
  rollout  --batch trajectories x --steps RK4 steps of the hidden-256 HNN, the field by one torch.autograd.grad per
           stage (as the HNN paper's code integrates)                                         -> rollout_s
OMP_WAIT_POLICY=PASSIVE (set before torch loads unless the caller set it) and all cores: the fastest settings measured
here for these small second-order graphs.
Usage: /usr/bin/python3 tools/reference/torch_dynamics_bench.py [--batch B] [--steps T] [--repeats R] [--threads N]
"""
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_engine_bench  # noqa: E402  (the HNN training step, shared with `bench engine`)


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "omp_wait_policy": os.environ["OMP_WAIT_POLICY"]}
    step = torch_engine_bench.hnn_step()
    result["train_step_ms"] = torch_engine_bench.median_ms(step, args.repeats, 2)
    net = hnn_net()
    y0 = torch.rand(args.batch, 2) * 2 - 1
    rollout(net, y0, 2, 0.01)
    start = time.perf_counter()
    rollout(net, y0, args.steps, 0.01)
    result["rollout_s"] = time.perf_counter() - start
    print(json.dumps(result))


if __name__ == "__main__":
    main()
