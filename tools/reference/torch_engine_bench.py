#!/usr/bin/python3
"""PyTorch (CPU, Debian python3-torch + OpenBLAS) side of `wejepa bench engine`.

Times the three workloads the C# engine is compared on and prints one JSON object on stdout:
  sgemm      C(4096x384) = A(4096x384) @ B(384x384), float32                 -> sgemm_ms, sgemm_gflops
  layer      nn.TransformerEncoderLayer(384, 6, 1536, dropout=0, gelu, batch_first, norm_first)
             forward + backward on x (64, 64, 384) with a ones upstream gradient -> layer_ms
  hnn        one HNN training step at batch 4096: field = J grad F2 (create_graph), MSE loss,
             backward through the second-order graph, AdamW step            -> hnn_step_ms
Each time is the median of --repeats runs after --warmup untimed runs.
Usage: /usr/bin/python3 tools/reference/torch_engine_bench.py [--threads N] [--repeats R] [--warmup W]
       [--only sgemm,layer,hnn] [--device cpu|cuda]
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn


DEVICE = torch.device("cpu")


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def median_ms(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def bench_sgemm(repeats, warmup):
    m, k, n = 4096, 384, 384
    a, b = torch.randn(m, k, device=DEVICE), torch.randn(k, n, device=DEVICE)
    out = torch.empty(m, n, device=DEVICE)
    ms = median_ms(lambda: torch.mm(a, b, out=out), repeats, warmup)
    return {"sgemm_ms": ms, "sgemm_gflops": 2.0 * m * n * k / (ms * 1e-3) / 1e9}


def bench_layer(repeats, warmup):
    layer = nn.TransformerEncoderLayer(384, 6, 1536, dropout=0.0, activation="gelu", batch_first=True,
                                       norm_first=True).to(DEVICE)
    x = torch.randn(64, 64, 384, device=DEVICE, requires_grad=True)
    gy = torch.ones(64, 64, 384, device=DEVICE)

    def step():
        layer.zero_grad(set_to_none=False)
        x.grad = None
        layer(x).backward(gy)

    return {"layer_ms": median_ms(step, repeats, warmup)}


def bench_hnn(repeats, warmup):
    net = nn.Sequential(nn.Linear(2, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 2)).to(DEVICE)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.0)
    x = torch.rand(4096, 2, device=DEVICE) * 4 - 2
    dxdt = torch.stack([x[:, 1], -torch.sin(x[:, 0])], 1)
    j_t = torch.tensor([[0.0, 1.0], [-1.0, 0.0]], device=DEVICE).T

    def step():
        opt.zero_grad(set_to_none=False)
        qp = x.clone().requires_grad_(True)
        f2 = net(qp)[:, 1:2]
        df2 = torch.autograd.grad(f2.sum(), qp, create_graph=True)[0]
        loss = (df2 @ j_t - dxdt).pow(2).mean()
        loss.backward()
        opt.step()

    return {"hnn_step_ms": median_ms(step, repeats, warmup)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", default="sgemm,layer,hnn")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = parser.parse_args()
    global DEVICE
    DEVICE = torch.device(args.device)
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    result = {"torch": torch.__version__, "device": args.device, "threads": torch.get_num_threads(), "repeats": args.repeats}
    benches = {"sgemm": bench_sgemm, "layer": bench_layer, "hnn": bench_hnn}
    for name in args.only.split(","):
        if name not in benches:
            parser.error(f"--only: unknown workload '{name}' (expected sgemm, layer, hnn)")
        result.update(benches[name](args.repeats, args.warmup))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
