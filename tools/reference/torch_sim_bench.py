#!/usr/bin/python3
"""PyTorch reference for `wejepa bench sim`: the same work as the Vulkan shaders, vectorised in torch.

physics: simple pendulums, theta'' = -(g/L) sin(theta) - damping*omega, classic RK4, float32,
         ENVS environments x STEPS steps; two forms: the one-expression-per-stage form (fresh tensors
         every op) and the strongest form measured here, in place over preallocated buffers, either over
         all ENVS at once or over chunks of envs that keep the seven buffers in cache (the faster is kept).
render:  FRAMES anti-aliased frames (FRAMES, 3, H, W) float32 of the same SDF maths as
         src/WeJepa.Simulation/Rendering/ReferenceRenderer.cs (rod capsule, bob disc, pivot disc,
         coverage clamp(0.5 - d/pixel, 0, 1), blended over the background), and the uint8 variant;
         two forms: one call over the whole batch (~250 MB of temporaries at 1,024 frames) and the
         strongest form measured here, chunks of frames blended in place into a preallocated output (the
         fastest of a few chunk sizes is kept).
Every form runs under torch.no_grad() with OMP_WAIT_POLICY=PASSIVE (idle OpenMP threads sleep instead
of spinning against the other process on this 2-core machine; set it yourself to override).
Prints one JSON object: medians over --repeats timed runs (after one warm-up run).
With --check it instead prints small outputs of both (for a test that the maths matches ours).
Run with /usr/bin/python3 (Debian's python3-torch).
"""
import argparse
import json
import math
import os
import statistics
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")   # read by OpenMP when torch loads
import torch  # noqa: E402


def rk4_pendulum(theta, omega, steps, dt, g_over_l, damping):
    def accel(th, om):
        return -g_over_l * torch.sin(th) - damping * om

    for _ in range(steps):
        k1t, k1w = omega, accel(theta, omega)
        k2t, k2w = omega + 0.5 * dt * k1w, accel(theta + 0.5 * dt * k1t, omega + 0.5 * dt * k1w)
        k3t, k3w = omega + 0.5 * dt * k2w, accel(theta + 0.5 * dt * k2t, omega + 0.5 * dt * k2w)
        k4t, k4w = omega + dt * k3w, accel(theta + dt * k3t, omega + dt * k3w)
        theta = theta + dt / 6.0 * (k1t + 2.0 * k2t + 2.0 * k3t + k4t)
        omega = omega + dt / 6.0 * (k1w + 2.0 * k2w + 2.0 * k3w + k4w)
    return theta, omega


class InplaceRk4:
    """rk4_pendulum with every operation in place over seven preallocated (CHUNK,) buffers, all steps of
    one chunk of environments before the next (CHUNK None: all environments at once)."""

    def __init__(self, n, chunk=None):
        self.chunk = chunk or n
        self.buffers = [torch.empty(self.chunk) for _ in range(5)]
        self.theta, self.omega = torch.empty(n), torch.empty(n)

    def run(self, theta, omega, steps, dt, g_over_l, damping):
        self.theta.copy_(theta)
        self.omega.copy_(omega)
        for i in range(0, theta.shape[0], self.chunk):
            n = min(self.chunk, theta.shape[0] - i)
            rk4_pendulum_inplace(self.theta[i:i + n], self.omega[i:i + n], steps, dt, g_over_l, damping,
                                 [b[:n] for b in self.buffers])
        return self.theta, self.omega


def rk4_pendulum_inplace(theta, omega, steps, dt, g_over_l, damping, buffers):
    """Advances theta, omega (N,) in place, with five preallocated (N,) scratch buffers."""
    kt, kw, th, sum_t, sum_w = buffers

    def accel(q, v, out):                                   # out = -(g/L) sin(q) - damping*v
        torch.sin(q, out=out).mul_(-g_over_l)
        if damping != 0.0:
            out.add_(v, alpha=-damping)

    for _ in range(steps):
        kt.copy_(omega)                                     # k1t
        accel(theta, omega, kw)                             # k1w
        sum_t.copy_(kt)
        sum_w.copy_(kw)
        for c, weight in ((0.5, 2.0), (0.5, 2.0), (1.0, 1.0)):   # stages 2, 3, 4
            torch.add(theta, kt, alpha=c * dt, out=th)      # q of this stage, from the previous k_t
            torch.add(omega, kw, alpha=c * dt, out=kt)      # k_t of this stage, from the previous k_w
            accel(th, kt, kw)
            sum_t.add_(kt, alpha=weight)
            sum_w.add_(kw, alpha=weight)
        theta.add_(sum_t, alpha=dt / 6.0)
        omega.add_(sum_w, alpha=dt / 6.0)
    return theta, omega


class Renderer:
    """Vectorised SDF renderer of simple pendulums (pivot at the world origin, camera centre (0, 0))."""

    def __init__(self, size, scale, length, rod_width, bob_radius, pivot_radius, colors):
        self.pixel = scale / size
        idx = torch.arange(size, dtype=torch.float32)
        xs = ((idx + 0.5) - 0.5 * size) * self.pixel            # world x of pixel columns
        ys = -((idx + 0.5) - 0.5 * size) * self.pixel           # world y of pixel rows (row 0 on top)
        self.px = xs.view(1, 1, size)
        self.py = ys.view(1, size, 1)
        self.length, self.rod_width = length, rod_width
        self.bob_radius, self.pivot_radius = bob_radius, pivot_radius
        bg, rod, bob, pivot = (torch.tensor(c, dtype=torch.float32).view(1, 3, 1, 1) for c in colors)
        self.bg, self.rod, self.bob, self.pivot = bg, rod, bob, pivot
        self.pivot_cov = self.coverage(torch.sqrt(self.px * self.px + self.py * self.py) - pivot_radius)

    def coverage(self, d):
        return torch.clamp(0.5 - d / self.pixel, 0.0, 1.0)

    def render(self, theta):                                   # theta (B,) -> (B, 3, H, W)
        bx = (self.length * torch.sin(theta)).view(-1, 1, 1)
        by = (-self.length * torch.cos(theta)).view(-1, 1, 1)
        len2 = bx * bx + by * by
        h = torch.clamp((self.px * bx + self.py * by) / len2, 0.0, 1.0)
        dx, dy = self.px - bx * h, self.py - by * h
        rod = self.coverage(torch.sqrt(dx * dx + dy * dy) - 0.5 * self.rod_width).unsqueeze(1)
        ex, ey = self.px - bx, self.py - by
        bob = self.coverage(torch.sqrt(ex * ex + ey * ey) - self.bob_radius).unsqueeze(1)
        v = self.bg + (self.rod - self.bg) * rod
        v = v + (self.bob - v) * bob
        return v + (self.pivot - v) * self.pivot_cov

    def render_uint8(self, theta):
        return (self.render(theta) * 255.0 + 0.5).to(torch.uint8)


class ChunkedRenderer:
    """Renderer's maths, CHUNK frames at a time, in place into a preallocated (B, 3, H, W) output: the
    temporaries (CHUNK, H, W) stay in cache and nothing is allocated per call."""

    def __init__(self, base, frames, chunk=64):
        size = base.px.shape[-1]
        self.base, self.chunk = base, chunk
        self.gx = base.px.expand(1, size, size).contiguous()           # world x of every pixel (1, H, W)
        self.gy = base.py.expand(1, size, size).contiguous()
        self.h, self.dx, self.dy, self.keep = (torch.empty(chunk, size, size) for _ in range(4))
        self.rgb = torch.empty(chunk, 3, size, size)
        self.out = torch.empty(frames, 3, size, size)
        self.out8 = torch.empty(frames, 3, size, size, dtype=torch.uint8)
        self.keep_pivot = 1.0 - base.pivot_cov.view(1, size, size)      # 1 - pivot coverage, (1, H, W)
        flat = lambda c: c.flatten().tolist()
        self.colors = [flat(c) for c in (base.bg, base.rod, base.bob, base.pivot)]

    def coverage_(self, d, radius):                                     # d <- clamp(0.5 - (d - r)/pixel, 0, 1)
        return d.sub_(radius).mul_(-1.0 / self.base.pixel).add_(0.5).clamp_(0.0, 1.0)

    def distance_(self, bx, by, h, dx, dy):                             # dx <- |p - b*h| (h None: |p - b|)
        if h is None:
            torch.sub(self.gx, bx, out=dx)
            torch.sub(self.gy, by, out=dy)
        else:
            torch.addcmul(self.gx, h, bx, value=-1.0, out=dx)
            torch.addcmul(self.gy, h, by, value=-1.0, out=dy)
        return dx.mul_(dx).addcmul_(dy, dy).sqrt_()

    def render_chunk(self, theta, out):                                 # theta (C,), out (C, 3, H, W) view
        n, b = theta.shape[0], self.base
        h, keep, dx, dy = self.h[:n], self.keep[:n], self.dx[:n], self.dy[:n]
        bx = (b.length * torch.sin(theta)).view(-1, 1, 1)
        by = (-b.length * torch.cos(theta)).view(-1, 1, 1)
        inv_len2 = 1.0 / (bx * bx + by * by)
        torch.mul(self.gx, bx, out=h).addcmul_(self.gy, by).mul_(inv_len2).clamp_(0.0, 1.0)
        rod = self.coverage_(self.distance_(bx, by, h, dx, dy), 0.5 * b.rod_width)   # rod coverage, in dx
        bg, rc, bc, pc = self.colors
        for c in range(3):
            torch.mul(rod, rc[c] - bg[c], out=out[:, c]).add_(bg[c])
        keep.copy_(self.coverage_(self.distance_(bx, by, None, dx, dy), b.bob_radius)).neg_().add_(1.0)   # 1 - bob
        for c in range(3):
            out[:, c].sub_(bc[c]).mul_(keep).add_(bc[c]).sub_(pc[c]).mul_(self.keep_pivot).add_(pc[c])

    def render(self, theta):
        for i in range(0, theta.shape[0], self.chunk):
            self.render_chunk(theta[i:i + self.chunk], self.out[i:i + self.chunk])
        return self.out

    def render_uint8(self, theta):
        for i in range(0, theta.shape[0], self.chunk):
            part = theta[i:i + self.chunk]
            rgb = self.rgb[:part.shape[0]]
            self.render_chunk(part, rgb)
            self.out8[i:i + part.shape[0]].copy_(rgb.mul_(255.0).add_(0.5))   # float -> uint8 truncates, as .to()
        return self.out8


def timed(fn, repeats):
    fn()  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


def check(args, colors):
    """Deterministic small outputs: 4 pendulums after `steps` RK4 steps, and 3 frames of `size`."""
    with torch.no_grad():
        theta0 = torch.tensor([-2.0, -0.5, 0.3, 1.9])
        omega0 = torch.tensor([0.0, 1.0, -0.5, 0.2])
        theta, omega = rk4_pendulum(theta0, omega0, args.steps, args.dt, 9.81, 0.0)
        theta_ip, omega_ip = InplaceRk4(4).run(theta0, omega0, args.steps, args.dt, 9.81, 0.0)
        theta_ipc, omega_ipc = InplaceRk4(4, chunk=3).run(theta0, omega0, args.steps, args.dt, 9.81, 0.0)
        thetas = torch.tensor([0.0, 1.0, -2.5])
        renderer = Renderer(args.size, 2.5, 1.0, 0.04, 0.12, 0.05, colors)
        frames = renderer.render(thetas)
        chunked = ChunkedRenderer(renderer, 3, chunk=2)               # 2 frames a chunk: a full and a partial chunk
        frames_chunked, frames8_chunked = chunked.render(thetas), chunked.render_uint8(thetas)
    print(json.dumps({"theta0": theta0.tolist(), "omega0": omega0.tolist(), "theta": theta.tolist(), "omega": omega.tolist(),
                      "theta_inplace": theta_ip.tolist(), "omega_inplace": omega_ip.tolist(),
                      "theta_inplace_chunked": theta_ipc.tolist(), "omega_inplace_chunked": omega_ipc.tolist(),
                      "thetas": thetas.tolist(), "frames": frames.flatten().tolist(),
                      "frames_chunked": frames_chunked.flatten().tolist(),
                      "frames_uint8_chunked": frames8_chunked.flatten().tolist()}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--envs", type=int, default=65536)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--frames", type=int, default=1024)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dt", type=float, default=0.01)
    ap.add_argument("--check", action="store_true", help="print small physics and render outputs instead of timings")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    colors = [(0.07, 0.08, 0.10), (0.85, 0.85, 0.85), (0.95, 0.45, 0.15), (0.5, 0.5, 0.5)]
    if args.check:
        check(args, colors)
        return

    g, length, damping = 9.81, 1.0, 0.0
    theta0 = torch.rand(args.envs) * 4.0 - 2.0
    omega0 = torch.zeros(args.envs)
    with torch.no_grad():
        phys = timed(lambda: rk4_pendulum(theta0, omega0, args.steps, args.dt, g / length, damping), args.repeats)
        # In place over all envs, and over chunks of envs whose seven buffers fit a core's L2 (the faster is kept).
        inplace = {}
        for chunk in (None, 8192, 16384):
            rk4 = InplaceRk4(args.envs, chunk)
            inplace[chunk] = timed(lambda: rk4.run(theta0, omega0, args.steps, args.dt, g / length, damping), args.repeats)
        phys_ip_chunk = min(inplace, key=lambda c: statistics.median(inplace[c]))
        renderer = Renderer(args.size, 2.5, length, 0.04, 0.12, 0.05, colors)
        thetas = torch.rand(args.frames) * 2 * math.pi - math.pi
        rend = timed(lambda: renderer.render(thetas), args.repeats)
        rend8 = timed(lambda: renderer.render_uint8(thetas), args.repeats)
        chunked = {}
        for chunk in (16, 64):
            c = ChunkedRenderer(renderer, args.frames, chunk)
            chunked[chunk] = (timed(lambda: c.render(thetas), args.repeats), timed(lambda: c.render_uint8(thetas), args.repeats))
        best_f = min(chunked, key=lambda c: statistics.median(chunked[c][0]))
        best_8 = min(chunked, key=lambda c: statistics.median(chunked[c][1]))

    med = statistics.median
    physics = lambda sec, **kw: {"envs": args.envs, "steps": args.steps, "seconds": sec, "env_steps_per_s": args.envs * args.steps / med(sec), **kw}
    render = lambda sec, **kw: {"frames": args.frames, "size": args.size, "seconds": sec, "frames_per_s": args.frames / med(sec), **kw}
    print(json.dumps({
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "physics": physics(phys),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "physics_inplace": physics(inplace[phys_ip_chunk], chunk=phys_ip_chunk or args.envs,
                                   by_chunk={str(c or args.envs): args.envs * args.steps / med(v) for c, v in inplace.items()}),
        "render": render(rend),
        "render_uint8": render(rend8),
        "render_chunked": render(chunked[best_f][0], chunk=best_f,
                                 by_chunk={str(c): args.frames / med(v[0]) for c, v in chunked.items()}),
        "render_uint8_chunked": render(chunked[best_8][1], chunk=best_8),
    }))


if __name__ == "__main__":
    main()
