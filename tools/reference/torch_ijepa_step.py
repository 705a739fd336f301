#!/usr/bin/python3
"""Times one I-JEPA training step in PyTorch (forward, backward, AdamW, EMA), the peer of IjepaTimingHarness.

The modules are tests/fixtures/make_jepa_fixtures.py's (ijepa's), built at the sizes given on the command line:
  torch_ijepa_step.py B IMG PATCH DIM DEPTH HEADS PRED_DIM PRED_DEPTH NC M NT STEPS
Context (B, NC) and target (B, M, NT) indices are random (the cost depends on the counts only). Float32, 2 threads.
Prints the median step time in milliseconds over STEPS steps after one warm-up step.
"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures"))
import make_jepa_fixtures as mj  # noqa: E402

b, img, patch, dim, depth, heads, pdim, pdepth, nc, m, nt, steps = (int(v) for v in sys.argv[1:13])
torch.set_num_threads(2)
mj.IMG, mj.PATCH, mj.DIM, mj.DEPTH, mj.HEADS, mj.PRED_DIM, mj.PRED_DEPTH = img, patch, dim, depth, heads, pdim, pdepth
grid = img // patch
n = grid * grid
torch.manual_seed(0)
model = mj.IJepa(mj.PatchEmbed(dim, patch), n, mj.sincos_2d(dim, grid), mj.sincos_2d(pdim, grid)).float()
imgs = torch.rand(b, 3, img, img)
ctx = torch.stack([torch.randperm(n)[:nc].sort().values for _ in range(b)])
tgt = torch.stack([torch.stack([torch.randperm(n)[:nt].sort().values for _ in range(m)]) for _ in range(b)])
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW([{"params": [p for p in params if p.ndim >= 2]},
                         {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0}], **mj.ADAMW)
times = []
for i in range(steps + 1):
    start = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    model.loss(imgs, ctx, tgt).backward()
    opt.step()
    model.ema()
    if i > 0:
        times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"{times[len(times) // 2]:.1f}")
