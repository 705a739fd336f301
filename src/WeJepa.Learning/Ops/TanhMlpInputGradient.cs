using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>
    /// ∇ₓ Σ_b net(x)[b, output] for the seeds' body net = Linear(w0, b0) → tanh → Linear(w1, b1) → tanh → Linear(w2, ·),
    /// as one fused op: x (B, I), w0 (H, I), b0 (H), w1 (H, H), b1 (H), w2 (O, H) → (B, I). This is the HNN's ∇F₂.
    /// <para>
    /// Design note (issue 4, second order): the generic path (forward + <c>Autograd.Grad(createGraph)</c>) gives the
    /// same numbers from twice-differentiable ops, but costs ~19 memory passes over (B, H) around its 6 big GEMMs.
    /// Here the forward is 2 GEMMs + 3 fused passes, and the backward (the HNN's second-order pass) is hand-written
    /// from the chain rule below — 3 big GEMMs (one of them over K = 2B) + 3 fused passes, the batch reductions (bias and w0/w2 gradients)
    /// folded into those passes on the CPU. The backward is first order only (it refuses <c>createGraph</c>); LNN's
    /// Hessians keep the generic path. With v = w2[output] (the same upstream row for every sample), s = 1 − h²:
    /// forward  h1 = tanh(x·w0ᵀ + b0), h2 = tanh(h1·w1ᵀ + b1), dz2 = v·s2, dh1 = dz2·w1, dz1 = dh1·s1, ∇ₓ = dz1·w0;
    /// backward (upstream U = ∂L/∂∇ₓ): A1 = U·w0, ∂dh1 = A1·s1, ∂w0 = dz1ᵀU,
    /// A2 = ∂dh1·w1ᵀ, ∂w1 = dz2ᵀ·∂dh1, ∂v = Σ_b A2·s2, ∂z2 = −2·h2·A2·v·s2, ∂b1 = Σ_b ∂z2, ∂w1 += ∂z2ᵀh1,
    /// ∂h1 = ∂z2·w1 − 2·h1·A1·dh1, ∂z1 = ∂h1·s1, ∂b0 = Σ_b ∂z1, ∂w0 += ∂z1ᵀx, ∂x = ∂z1·w0.
    /// </para>
    /// </summary>
    public static Tensor TanhMlpInputGradient(Tensor x, Tensor w0, Tensor b0, Tensor w1, Tensor b1, Tensor w2, int output)
    {
        int hidden = w0.Rank == 2 ? w0.Shape[0] : -1;
        if (x.Rank != 2 || w0.Rank != 2 || w0.Shape[1] != x.Shape[1] || b0.Rank != 1 || b0.Shape[0] != hidden
            || w1.Rank != 2 || w1.Shape[0] != hidden || w1.Shape[1] != hidden || b1.Rank != 1 || b1.Shape[0] != hidden
            || w2.Rank != 2 || w2.Shape[1] != hidden)
            throw new ShapeError($"tanh_mlp_input_grad: x {Shapes.Format(x.Shape)}, w0 {Shapes.Format(w0.Shape)}, b0 {Shapes.Format(b0.Shape)}, " +
                                 $"w1 {Shapes.Format(w1.Shape)}, b1 {Shapes.Format(b1.Shape)}, w2 {Shapes.Format(w2.Shape)} " +
                                 "(expected (B, I), (H, I), (H), (H, H), (H), (O, H))");
        if (output < 0 || output >= w2.Shape[0])
            throw new ShapeError($"tanh_mlp_input_grad: output {output} is outside the {w2.Shape[0]} outputs of w2 {Shapes.Format(w2.Shape)}");
        FusedOps.SameDevice("tanh_mlp_input_grad", x, w0, b0, w1, b1, w2);
        var device = x.Device;
        int rows = x.Shape[0], inputs = x.Shape[1], outputs = w2.Shape[0];
        int n = checked(rows * hidden);
        bool host = device.UseHostLoops && TanhMlpHost.Supports(inputs, hidden); // else the kernels (CUDA's path, also fine on the CPU)
        var v = w2.View.SubView((long)output * hidden, hidden); // the upstream row of every sample, (H)
        // (∂dh1 ; h1) and (dz2 ; ∂z2), each one (2B, H) buffer: the backward fills the other halves, so ∂w1 = dz2ᵀ·∂dh1 + ∂z2ᵀ·h1
        // is a single GEMM over K = 2B.
        var ddh1AndH1 = Tensor.Empty(device, 2 * rows, hidden);
        var dz2AndDz2Pre = Tensor.Empty(device, 2 * rows, hidden);
        var h1 = ddh1AndH1.SubTensor(n, rows, hidden);
        var dz2 = dz2AndDz2Pre.SubTensor(0, rows, hidden);
        var h2 = Tensor.Empty(device, rows, hidden);
        var dh1 = Tensor.Empty(device, rows, hidden);
        var gx = Tensor.Empty(device, rows, inputs);
        Tensor? dz1 = host ? null : Tensor.Empty(device, rows, hidden); // the kernel path keeps it for ∂w0 (the host path recomputes it)
        unsafe
        {
            TanhMlpForward(host, x, w0, b0, w1, b1, v, h1, h2, dz2);
            device.Gemm(false, false, rows, hidden, hidden, 1f, dz2.View, hidden, w1.View, hidden, 0f, dh1.View, hidden);
            if (host) TanhMlpHost.InputGradient(rows, inputs, hidden, FusedOps.Host(dh1), FusedOps.Host(h1), FusedOps.Host(w0), FusedOps.Host(gx));
            else
            {
                device.Launch(TanhKernels.Backward, n, n, dh1.View, h1.View, dz1!.View);
                device.Gemm(false, false, rows, inputs, hidden, 1f, dz1.View, hidden, w0.View, inputs, 0f, gx.View, inputs);
            }
        }

        return Tape.Record("tanh_mlp_input_grad", gx, [x, w0, b0, w1, b1, w2], (u, needs) =>
        {
            FusedOps.EnsureFirstOrder("tanh_mlp_input_grad", u);
            var ddh1 = ddh1AndH1.SubTensor(0, rows, hidden);
            var a2 = dz2AndDz2Pre.SubTensor(n, rows, hidden);  // A2, then ∂z2 in place
            var dh1Total = Tensor.Empty(device, rows, hidden); // ∂z2·w1, then ∂z1 in place
            var dw0 = Tensor.Empty(device, hidden, inputs);
            var db0 = Tensor.Empty(device, hidden);
            var dw1 = Tensor.Empty(device, hidden, hidden);
            var db1 = Tensor.Empty(device, hidden);
            var dw2 = Tensor.Zeros(device, outputs, hidden);
            var dv = dw2.View.SubView((long)output * hidden, hidden);
            unsafe
            {
                if (host)
                    TanhMlpHost.Backward0(rows, inputs, hidden, FusedOps.Host(u), FusedOps.Host(w0), FusedOps.Host(h1), FusedOps.Host(dh1),
                        FusedOps.Host(ddh1), FusedOps.Host(dw0));
                else
                {
                    device.Launch(TanhMlpKernels.Backward0, n, n, inputs, hidden, u.View, w0.View, h1.View, ddh1.View);
                    device.Gemm(true, false, hidden, inputs, rows, 1f, dz1!.View, hidden, u.View, inputs, 0f, dw0.View, inputs);
                }
                device.Gemm(false, true, rows, hidden, hidden, 1f, ddh1.View, hidden, w1.View, hidden, 0f, a2.View, hidden);  // A2
                if (host) TanhMlpHost.Backward1(rows, hidden, FusedOps.Host(h2), device.HostPointer(v), FusedOps.Host(a2), device.HostPointer(dv), FusedOps.Host(db1));
                else
                {
                    device.Launch(TanhMlpKernels.ColumnDotTanhGrad, hidden, hidden, rows, a2.View, h2.View, dv);
                    device.Launch(TanhMlpKernels.Backward1, n, n, hidden, v, h2.View, a2.View);
                    ReduceMiddle(device, a2.View, db1.View, 1, rows, hidden);
                }
                device.Gemm(true, false, hidden, hidden, 2 * rows, 1f, dz2AndDz2Pre.View, hidden, ddh1AndH1.View, hidden, 0f, dw1.View, hidden); // ∂w1 = dz2ᵀ·∂dh1 + ∂z2ᵀ·h1
                device.Gemm(false, false, rows, hidden, hidden, 1f, a2.View, hidden, w1.View, hidden, 0f, dh1Total.View, hidden);     // ∂z2·w1
                if (host)
                    TanhMlpHost.Backward2(rows, inputs, hidden, FusedOps.Host(u), FusedOps.Host(w0), FusedOps.Host(dh1), FusedOps.Host(dh1Total), FusedOps.Host(h1),
                        FusedOps.Host(x), FusedOps.Host(db0), FusedOps.Host(dw0));
                else
                {
                    device.Launch(TanhMlpKernels.Backward2, n, n, inputs, hidden, u.View, w0.View, h1.View, dh1.View, dh1Total.View);
                    ReduceMiddle(device, dh1Total.View, db0.View, 1, rows, hidden);
                    device.Gemm(true, false, hidden, inputs, rows, 1f, dh1Total.View, hidden, x.View, inputs, 1f, dw0.View, inputs);
                }
            }
            Tensor? dx = null;
            if (needs[0])
            {
                dx = Tensor.Empty(device, rows, inputs);
                device.Gemm(false, false, rows, inputs, hidden, 1f, dh1Total.View, hidden, w0.View, inputs, 0f, dx.View, inputs); // ∂x = ∂z1·w0
            }
            return [dx, dw0, db0, dw1, db1, dw2];
        }, x, w0, b0, w1, b1, w2);
    }
}

public static partial class Ops
{
    /// <summary>
    /// The forward half of <see cref="TanhMlpInputGradient"/> (also a rollout's, <see cref="Models.HamiltonianRk4"/>):
    /// h1 = tanh(x·w0ᵀ + b0), h2 = tanh(h1·w1ᵀ + b1), dz2 = v·(1 − h2²) into the given buffers; x (B, I), h1, h2, dz2 (B, H),
    /// v (H) the upstream row. <paramref name="host"/>: the CPU's SIMD loops, else the kernels.
    /// </summary>
    internal static unsafe void TanhMlpForward(bool host, Tensor x, Tensor w0, Tensor b0, Tensor w1, Tensor b1, ArrayView<float> v, Tensor h1, Tensor h2, Tensor dz2)
    {
        var device = x.Device;
        int rows = x.Shape[0], inputs = x.Shape[1], hidden = w0.Shape[0], n = rows * hidden;
        if (host) TanhMlpHost.Hidden0(rows, inputs, hidden, FusedOps.Host(x), FusedOps.Host(w0), FusedOps.Host(b0), FusedOps.Host(h1));
        else device.Launch(TanhMlpKernels.Hidden0, n, n, inputs, hidden, x.View, w0.View, b0.View, h1.View);
        device.Gemm(false, true, rows, hidden, hidden, 1f, h1.View, hidden, w1.View, hidden, 0f, h2.View, hidden); // z2 − b1
        if (host) TanhMlpHost.Hidden1(rows, hidden, FusedOps.Host(b1), device.HostPointer(v), FusedOps.Host(h2), FusedOps.Host(dz2));
        else device.Launch(TanhMlpKernels.Hidden1, n, n, hidden, b1.View, v, h2.View, dz2.View);
    }
}

/// <summary>The ILGPU kernels of <see cref="Ops.TanhMlpInputGradient"/> (what CUDA runs); grid-stride over their first argument.</summary>
public static class TanhMlpKernels
{
    /// <summary>h1 = tanh(x·w0ᵀ + b0). x (B, inputs), w0 (H, inputs), b0 (H), h1 (B, H); n = B·H.</summary>
    [Kernel]
    public static void Hidden0(int n, int inputs, int hidden, ArrayView<float> x, ArrayView<float> w0, ArrayView<float> b0, ArrayView<float> h1)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            int b = e / hidden, j = e - b * hidden;
            float z = b0[j];
            for (int i = 0; i < inputs; i++) z += x[b * inputs + i] * w0[j * inputs + i];
            h1[e] = XMath.Tanh(z);
        }
    }

    /// <summary>h2 = tanh(h2 + b1) in place (h2 holds h1·w1ᵀ), dz2 = v·(1 − h2²). b1, v (H); h2, dz2 (B, H); n = B·H.</summary>
    [Kernel]
    public static void Hidden1(int n, int hidden, ArrayView<float> b1, ArrayView<float> v, ArrayView<float> h2, ArrayView<float> dz2)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            int j = e % hidden;
            float t = XMath.Tanh(h2[e] + b1[j]);
            h2[e] = t;
            dz2[e] = v[j] * (1f - t * t);
        }
    }

    /// <summary>A1 = u·w0; ddh1 = A1·(1 − h1²). u (B, inputs), w0 (H, inputs); h1, ddh1 (B, H); n = B·H.</summary>
    [Kernel]
    public static void Backward0(int n, int inputs, int hidden, ArrayView<float> u, ArrayView<float> w0, ArrayView<float> h1, ArrayView<float> ddh1)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            int b = e / hidden, j = e - b * hidden;
            float a = 0f;
            for (int i = 0; i < inputs; i++) a += u[b * inputs + i] * w0[j * inputs + i];
            float t = h1[e];
            ddh1[e] = a * (1f - t * t);
        }
    }

    /// <summary>
    /// ∂z1 = (g − 2·h1·A1·dh1)·(1 − h1²) in place, A1 = u·w0 (recomputed: cheaper than storing it), g = ∂z2·w1 on entry.
    /// u (B, inputs), w0 (H, inputs); h1, dh1, g (B, H); n = B·H.
    /// </summary>
    [Kernel]
    public static void Backward2(int n, int inputs, int hidden, ArrayView<float> u, ArrayView<float> w0, ArrayView<float> h1,
        ArrayView<float> dh1, ArrayView<float> g)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            int b = e / hidden, j = e - b * hidden;
            float a = 0f;
            for (int i = 0; i < inputs; i++) a += u[b * inputs + i] * w0[j * inputs + i];
            float t = h1[e];
            g[e] = (g[e] - 2f * t * a * dh1[e]) * (1f - t * t);
        }
    }

    /// <summary>a2 = −2·h2·a2·v·(1 − h2²) in place (A2 → ∂z2). v (H); h2, a2 (B, H); n = B·H.</summary>
    [Kernel]
    public static void Backward1(int n, int hidden, ArrayView<float> v, ArrayView<float> h2, ArrayView<float> a2)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            float t = h2[e];
            a2[e] = -2f * t * a2[e] * v[e % hidden] * (1f - t * t);
        }
    }

    /// <summary>dv[j] = Σ_b a2[b, j]·(1 − h2[b, j]²), one thread per column (deterministic). a2, h2 (rows, cols), dv (cols).</summary>
    [Kernel]
    public static void ColumnDotTanhGrad(int cols, int rows, ArrayView<float> a2, ArrayView<float> h2, ArrayView<float> dv)
    {
        for (int j = GridStride.Start; j < cols; j += GridStride.Step)
        {
            float s = 0f;
            for (int b = 0; b < rows; b++)
            {
                float t = h2[b * cols + j];
                s += a2[b * cols + j] * (1f - t * t);
            }
            dv[j] = s;
        }
    }
}
