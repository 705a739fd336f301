#!/usr/bin/python3
"""PyTorch (CPU, Debian python3-torch + OpenBLAS) side of `wejepa bench engine`.

Times the workloads the C# engine is compared on and prints one JSON object on stdout:
  sgemm      C(4096x384) = A(4096x384) @ B(384x384), float32 (torch.mm: the BLAS torch was built with), timed in
             runs of BURST products back to back; --serve replies per run -> sgemm_ms (per product), sgemm_gflops
  sgemm_onednn  the same product through torch's oneDNN path (mkldnn tensors, mkldnn_linear with W = B^T)
                                                                             -> sgemm_onednn_ms
  layer      nn.TransformerEncoderLayer(384, 6, 1536, dropout=0, gelu, batch_first, norm_first)
             forward + backward on x (64, 64, 384) with a ones upstream gradient -> layer_ms
  hnn        one HNN training step at batch 4096: field = J grad F2 (create_graph), MSE loss,
             backward through the second-order graph, AdamW step            -> hnn_step_ms
Each time is the median of --repeats runs after --warmup untimed runs. With --serve it first prints the header
line, then times one run per stdin line naming a workload (`wejepa bench engine` alternates these with its own
runs, so both sides see the same machine load).
The header line names the BLAS library the process loaded and OMP_WAIT_POLICY, so a caller that starts it under
several settings (OMP_WAIT_POLICY=PASSIVE, LD_LIBRARY_PATH to Debian's OpenMP OpenBLAS) can say which one it measured.
Usage: /usr/bin/python3 tools/reference/torch_engine_bench.py [--threads N] [--repeats R] [--warmup W]
       [--only sgemm,sgemm_onednn,layer,hnn] [--device cpu|cuda]
"""
import argparse
import json
import os
import statistics
import sys
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


BURST = 8  # products per sgemm run, back to back (as BenchEngineWorkload.GemmBurst): a GEMM's steady rate


def burst(product):
    def run():
        for _ in range(BURST):
            product()
    return run


def sgemm_step():
    m, k, n = 4096, 384, 384
    a, b = torch.randn(m, k, device=DEVICE), torch.randn(k, n, device=DEVICE)
    out = torch.empty(m, n, device=DEVICE)
    return burst(lambda: torch.mm(a, b, out=out))


def sgemm_onednn_step():
    m, k, n = 4096, 384, 384
    a = torch.randn(m, k).to_mkldnn()
    w = torch.randn(n, k).to_mkldnn()  # mkldnn_linear computes a @ w^T
    return burst(lambda: torch._C._nn.mkldnn_linear(a, w, None))


def loaded_blas():
    """The OpenBLAS shared object this process mapped (which build LD_LIBRARY_PATH selected)."""
    with open("/proc/self/maps") as maps:
        paths = {os.path.realpath(line.split()[-1]) for line in maps if "libopenblas" in line}
    return ", ".join(sorted(paths)) or "no OpenBLAS mapped"


def layer_step():
    layer = nn.TransformerEncoderLayer(384, 6, 1536, dropout=0.0, activation="gelu", batch_first=True,
                                       norm_first=True).to(DEVICE)
    x = torch.randn(64, 64, 384, device=DEVICE, requires_grad=True)
    gy = torch.ones(64, 64, 384, device=DEVICE)

    def step():
        layer.zero_grad(set_to_none=False)
        x.grad = None
        layer(x).backward(gy)

    return step


def hnn_step():
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

    return step


STEPS = {"sgemm": sgemm_step, "sgemm_onednn": sgemm_onednn_step, "layer": layer_step, "hnn": hnn_step}
FIELDS = {"sgemm": "sgemm_ms", "sgemm_onednn": "sgemm_onednn_ms", "layer": "layer_ms", "hnn": "hnn_step_ms"}


def serve():
    """Times one run per request so a caller can interleave our runs with its own: each stdin line names a
    workload (set up and warmed once on first use); each reply is one JSON line {"ms": time}."""
    steps = {}
    for line in sys.stdin:
        name = line.strip()
        if name not in steps:
            steps[name] = STEPS[name]()
            steps[name]()
            sync()
        start = time.perf_counter()
        steps[name]()
        sync()
        print(json.dumps({"ms": (time.perf_counter() - start) * 1e3}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", default="sgemm,layer,hnn")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--serve", action="store_true", help="time one run per stdin line naming a workload")
    args = parser.parse_args()
    global DEVICE
    DEVICE = torch.device(args.device)
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    result = {"torch": torch.__version__, "device": args.device, "threads": torch.get_num_threads(), "repeats": args.repeats,
              "blas": loaded_blas(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "")}
    print(json.dumps(result), flush=True)  # the header line: who measures
    if args.serve:
        serve()
        return
    for name in args.only.split(","):
        if name not in STEPS:
            parser.error(f"--only: unknown workload '{name}' (expected {', '.join(STEPS)})")
        result[FIELDS[name]] = median_ms(STEPS[name](), args.repeats, args.warmup) / (BURST if name.startswith("sgemm") else 1)
    if "sgemm_ms" in result:
        result["sgemm_gflops"] = 2.0 * 4096 * 384 * 384 / (result["sgemm_ms"] * 1e-3) / 1e9
    print(json.dumps(result))


if __name__ == "__main__":
    main()
