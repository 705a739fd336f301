#!/usr/bin/python3
"""PyTorch reference for `wejepa bench sim`: the same work as the Vulkan shaders, vectorised in torch.

physics: simple pendulums, theta'' = -(g/L) sin(theta) - damping*omega, classic RK4, float32,
         ENVS environments x STEPS steps (in place over (ENVS,) tensors).
render:  FRAMES anti-aliased frames (FRAMES, 3, H, W) float32 of the same SDF maths as
         src/WeJepa.Simulation/Rendering/ReferenceRenderer.cs (rod capsule, bob disc, pivot disc,
         coverage clamp(0.5 - d/pixel, 0, 1), blended over the background), and the uint8 variant.
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

import torch


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
        thetas = torch.tensor([0.0, 1.0, -2.5])
        frames = Renderer(args.size, 2.5, 1.0, 0.04, 0.12, 0.05, colors).render(thetas)
    print(json.dumps({"theta0": theta0.tolist(), "omega0": omega0.tolist(), "theta": theta.tolist(), "omega": omega.tolist(),
                      "thetas": thetas.tolist(), "frames": frames.flatten().tolist()}))


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
        renderer = Renderer(args.size, 2.5, length, 0.04, 0.12, 0.05, colors)
        thetas = torch.rand(args.frames) * 2 * math.pi - math.pi
        rend = timed(lambda: renderer.render(thetas), args.repeats)
        rend8 = timed(lambda: renderer.render_uint8(thetas), args.repeats)

    med = statistics.median
    print(json.dumps({
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "physics": {"envs": args.envs, "steps": args.steps, "seconds": phys,
                    "env_steps_per_s": args.envs * args.steps / med(phys)},
        "render": {"frames": args.frames, "size": args.size, "seconds": rend,
                   "frames_per_s": args.frames / med(rend)},
        "render_uint8": {"frames": args.frames, "size": args.size, "seconds": rend8,
                         "frames_per_s": args.frames / med(rend8)},
    }))


if __name__ == "__main__":
    main()
