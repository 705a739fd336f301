#!/usr/bin/python3
"""PyTorch (CPU, Debian python3-torch) side of `wejepa bench jepa`: one training step (forward, backward, AdamW, and
for I-JEPA the EMA teacher update) of
  vjepa  the seed's V-JEPA at its defaults: B 64, 3x64x64, patch 8, D 384, depth 6, heads 6, predictor hidden 192,
         ReLU, dropout 0 (both sides: the comparison is of the arithmetic, not of mask drawing); the seed's masks
         (block masking of 4x4 blocks at 0.75 for the context, random masking at 0.75 for the targets);
  ijepa  I-JEPA at the same encoder size, predictor D 192, depth 3, 6 heads, with the context and target counts the
         caller gives (--ijepa-masks NC,M,NT: the cost depends on the counts only).
The modules are tests/fixtures/make_jepa_fixtures.py's (the seed's and ijepa's, which the parity tests check).
With --serve it prints a header line (as torch_engine_bench.py's: torch, device, threads, blas, omp_wait_policy), then
times one step per stdin line naming a workload, replying {"ms": time}, so `wejepa bench jepa` can alternate its
runs with ours.
Usage: /usr/bin/python3 tools/reference/torch_jepa_bench.py --serve [--threads N] [--ijepa-masks NC,M,NT]
"""
import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "fixtures"))
import make_jepa_fixtures as mj  # noqa: E402
import torch_engine_bench as engine  # noqa: E402

B, IMG, PATCH, DIM, DEPTH, HEADS = 64, 64, 8, 384, 6, 6
VJEPA_HIDDEN, PRED_DIM, PRED_DEPTH = 192, 192, 3
GRID = IMG // PATCH
N = GRID * GRID


def sizes():
    mj.IMG, mj.PATCH, mj.DIM, mj.DEPTH, mj.HEADS, mj.PRED_DIM, mj.PRED_DEPTH = IMG, PATCH, DIM, DEPTH, HEADS, PRED_DIM, PRED_DEPTH


def optimiser(params):
    return torch.optim.AdamW([{"params": [p for p in params if p.ndim >= 2]},
                              {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0}], **mj.ADAMW)


def vjepa_step():
    sizes()
    torch.manual_seed(0)
    model = mj.VJepa()
    model.predictor = torch.nn.Sequential(torch.nn.Linear(DIM, VJEPA_HIDDEN), torch.nn.GELU(), torch.nn.Linear(VJEPA_HIDDEN, DIM))
    model = model.float()
    for p in model.target_encoder.parameters():
        p.requires_grad = False
    imgs = torch.rand(B, 3, IMG, IMG)
    context = torch.zeros(B, N, dtype=torch.bool)
    for i in range(B):
        for _ in range(int(N * 0.75 / 16)):
            y0, x0 = (int(v) for v in torch.randint(0, GRID - 3, (2,)))
            context[i].view(GRID, GRID)[y0:y0 + 4, x0:x0 + 4] = True
    order = torch.argsort(torch.rand(B, N), 1)
    random = torch.ones(B, N, dtype=torch.bool)
    random.scatter_(1, order[:, :int(N * 0.25)], False)
    target = random & ~context
    opt = optimiser([p for p in model.parameters() if p.requires_grad])

    def step():
        opt.zero_grad(set_to_none=True)
        model.loss(imgs, context, target).backward()
        opt.step()

    return step


def ijepa_step(nc, m, nt):
    sizes()
    torch.manual_seed(0)
    model = mj.IJepa(mj.PatchEmbed(DIM, PATCH), N, mj.sincos_2d(DIM, GRID), mj.sincos_2d(PRED_DIM, GRID)).float()
    imgs = torch.rand(B, 3, IMG, IMG)
    ctx = torch.stack([torch.randperm(N)[:nc].sort().values for _ in range(B)])
    tgt = torch.stack([torch.stack([torch.randperm(N)[:nt].sort().values for _ in range(m)]) for _ in range(B)])
    opt = optimiser([p for p in model.parameters() if p.requires_grad])

    def step():
        opt.zero_grad(set_to_none=True)
        model.loss(imgs, ctx, tgt).backward()
        opt.step()
        model.ema()

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--ijepa-masks", default="20,4,10")
    parser.add_argument("--serve", action="store_true", required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float32)
    nc, m, nt = (int(v) for v in args.ijepa_masks.split(","))
    print(json.dumps({"torch": torch.__version__, "device": "cpu", "threads": torch.get_num_threads(),
                      "blas": engine.loaded_blas(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "")}), flush=True)
    makers = {"vjepa": vjepa_step, "ijepa": lambda: ijepa_step(nc, m, nt)}
    steps = {}
    for line in sys.stdin:
        name = line.strip()
        if name not in steps:
            steps[name] = makers[name]()
            steps[name]()
        start = time.perf_counter()
        steps[name]()
        print(json.dumps({"ms": (time.perf_counter() - start) * 1e3}), flush=True)


if __name__ == "__main__":
    main()
