using ILGPU;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models;

/// <summary>
/// The rollout path of an HNN-family tanh net (<see cref="Hnn"/>, <see cref="DissipativeHnn"/>): the field
/// f = J∇F₂ (+ ∇F₁ when dissipative) of net = Linear(w0, b0) → tanh → Linear(w1, b1) → tanh → Linear(w2, ·) over
/// inputs x (B, I) = (q, p) or (q, p, t), with no tape and no graph, into buffers owned by a <see cref="HamiltonianRk4"/>.
/// The analytic input gradient is a backward pass of GEMMs (with v = w2[o] and s = 1 − h²):
/// h1 = tanh(x·w0ᵀ + b0), h2 = tanh(h1·w1ᵀ + b1), dz2 = v·s2, dh1 = dz2·w1, ∇ₓF_o = (dh1·s1)·w0 —
/// two GEMMs over the whole batch per field (one forward, one backward; the dissipative net's two upstream rows
/// stacked into one GEMM of 2B rows) and three fused passes. <see cref="Reference"/> is the same in plain double C#.
/// </summary>
public sealed class HamiltonianNet(TanhMlp net, ParameterStore parameters, int degrees, bool dissipative)
{
    public TanhMlp Net => net;
    public ParameterStore Parameters => parameters;
    public int Degrees => degrees;
    public bool Dissipative => dissipative;

    /// <summary>How many outputs of the net form the field: F₂ alone, or F₂ and F₁.</summary>
    public int Rows => dissipative ? 2 : 1;

    /// <summary>The HNN's <c>J</c> buffer of size 2d, the block form [[0, I], [−I, 0]] (<see cref="Hnn.J"/> for d = 1).</summary>
    public static ConstantBuffer J(int degrees)
    {
        int n = 2 * degrees;
        var values = new float[n * n];
        for (int i = 0; i < degrees; i++)
        {
            values[i * n + degrees + i] = 1f;
            values[(degrees + i) * n + i] = -1f;
        }
        return new ConstantBuffer("J", [n, n], values);
    }

    /// <summary>
    /// The field in double, the specification of the fused path: x (B, I) row-major → f (B, 2d),
    /// f = (∂F₂/∂p, −∂F₂/∂q) (+ (∂F₁/∂q, ∂F₁/∂p)), weights as in the state_dict (w0 (H, I), w1 (H, H), w2 (2, H)).
    /// </summary>
    public static double[] Reference(float[] w0, float[] b0, float[] w1, float[] b1, float[] w2, int inputs, int hidden, int degrees, bool dissipative, float[] x)
    {
        int rows = x.Length / inputs, s = 2 * degrees;
        var f = new double[rows * s];
        var (h1, h2, dh1) = (new double[hidden], new double[hidden], new double[hidden]);
        for (int b = 0; b < rows; b++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double z = b0[j];
                for (int i = 0; i < inputs; i++) z += (double)x[b * inputs + i] * w0[j * inputs + i];
                h1[j] = Math.Tanh(z);
            }
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                for (int k = 0; k < hidden; k++) z += h1[k] * w1[j * hidden + k];
                h2[j] = Math.Tanh(z);
            }
            for (int output = dissipative ? 0 : 1; output < 2; output++)
            {
                for (int k = 0; k < hidden; k++)
                {
                    double sum = 0;
                    for (int j = 0; j < hidden; j++) sum += w2[output * hidden + j] * (1 - h2[j] * h2[j]) * w1[j * hidden + k];
                    dh1[k] = sum;
                }
                for (int c = 0; c < s; c++)
                {
                    double g = 0;
                    for (int k = 0; k < hidden; k++) g += dh1[k] * (1 - h1[k] * h1[k]) * w0[k * inputs + c];
                    // F₂ (output 1): ∂/∂q_c → −ṗ_c, ∂/∂p_c → q̇_c; F₁ (output 0) adds its gradient as it is.
                    if (output == 0) f[b * s + c] += g;
                    else if (c < degrees) f[b * s + degrees + c] -= g;
                    else f[b * s + c - degrees] += g;
                }
            }
        }
        return f;
    }
}

/// <summary>
/// Classic RK4 steps of a <see cref="HamiltonianNet"/>'s field for a fixed batch of B states, in buffers allocated
/// once: per step four fields (each 2 GEMMs + 3 fused passes over (B, H)) and two small passes per stage (the stage
/// input y + c·k with its time column, and the final combination), no allocation, no host synchronisation on CUDA.
/// The arithmetic is the general path's: stage inputs y + k·(c·dt), then y + ((k1 + 2k2) + (2k3 + k4))·(dt/6).
/// </summary>
public sealed class HamiltonianRk4 : IDisposable
{
    readonly HamiltonianNet net;
    readonly int batch, inputs, hidden, size;
    readonly Tensor input, h1, h2, dz2, dh1, k1, k2, k3, k4;

    public HamiltonianRk4(HamiltonianNet net, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1, nameof(batch));
        (this.net, this.batch) = (net, batch);
        (inputs, hidden, size) = (net.Net.Inputs, net.Net.Hidden, 2 * net.Degrees);
        if (inputs != size && inputs != size + 1)
            throw new ShapeError($"hamiltonian rk4: the net takes {inputs} inputs; expected 2d = {size} or 2d + 1 (with time)");
        var device = net.Parameters.Device;
        input = Tensor.EmptyUnscoped(device, batch, inputs);
        h1 = Tensor.EmptyUnscoped(device, batch, hidden);
        h2 = Tensor.EmptyUnscoped(device, batch, hidden);
        dz2 = Tensor.EmptyUnscoped(device, net.Rows * batch, hidden);
        dh1 = Tensor.EmptyUnscoped(device, net.Rows * batch, hidden);
        (k1, k2, k3, k4) = (State(), State(), State(), State());
        Tensor State() => Tensor.EmptyUnscoped(device, batch, size);
    }

    /// <summary>
    /// next = RK4 step of dt from y at time t; y, next (B, 2d) views (may be the same memory only if distinct from the
    /// stage buffers, which they are).
    /// </summary>
    public void Step(ArrayView<float> y, ArrayView<float> next, float t, float dt)
    {
        if (y.Length != (long)batch * size || next.Length != (long)batch * size)
            throw new ShapeError($"hamiltonian rk4: states of {y.Length} and {next.Length} values; expected B·2d = {batch}·{size}");
        // the first stage reads y alone (c = 0: the k handed in is not read)
        Stage(y, k1, 0f, t, k1);
        Stage(y, k1, dt / 2, t + dt / 2, k2);
        Stage(y, k2, dt / 2, t + dt / 2, k3);
        Stage(y, k3, dt, t + dt, k4);
        var device = input.Device;
        int n = batch * size;
        if (device.UseHostLoops)
            unsafe { HamiltonianHost.Combine(n, device.HostPointer(y), FusedOps.Host(k1), FusedOps.Host(k2), FusedOps.Host(k3), FusedOps.Host(k4), dt / 6, device.HostPointer(next)); }
        else device.Launch(HamiltonianKernels.Combine, n, n, y, k1.View, k2.View, k3.View, k4.View, dt / 6, next);
    }

    /// <summary>k = f(y + k_prev·c, t) (c = 0: f(y, t)).</summary>
    void Stage(ArrayView<float> y, Tensor previous, float c, float t, Tensor k)
    {
        var device = input.Device;
        int n = batch * inputs;
        if (device.UseHostLoops)
            unsafe { HamiltonianHost.StageInput(batch, inputs, size, device.HostPointer(y), FusedOps.Host(previous), c, t, FusedOps.Host(input)); }
        else device.Launch(HamiltonianKernels.StageInput, n, n, inputs, size, y, previous.View, c, t, input.View);
        Field(input, k);
    }

    /// <summary>The field f(x) (B, 2d) at inputs <paramref name="x"/> (B, I), written into <paramref name="field"/>.</summary>
    public void Field(Tensor x, Tensor field)
    {
        if (x.Rank != 2 || x.Shape[0] != batch || x.Shape[1] != inputs || field.Rank != 2 || field.Shape[0] != batch || field.Shape[1] != size)
            throw new ShapeError($"hamiltonian field: x {Shapes.Format(x.Shape)} and field {Shapes.Format(field.Shape)}; expected ({batch}, {inputs}) and ({batch}, {size})");
        var p = net.Parameters;
        var (w0, b0, w1, b1, w2) = (p[net.Net.W0], p[net.Net.B0], p[net.Net.W1], p[net.Net.B1], p[net.Net.W2]);
        var device = input.Device;
        int n = batch * hidden;
        var v1 = w2.View.SubView(hidden, hidden); // F₂'s row of w2: the upstream of the HNN's gradient
        var dz2H = dz2.SubTensor(0, batch, hidden);
        bool host = device.UseHostLoops && TanhMlpHost.Supports(inputs, hidden);
        unsafe
        {
            Ops.TanhMlpForward(host, x, w0, b0, w1, b1, v1, h1, h2, dz2H);
            if (net.Dissipative)
            {
                var v0 = w2.View.SubView(0, hidden);
                var dz2F1 = dz2.SubTensor(n, batch, hidden);
                if (host) HamiltonianHost.TanhGradRow(batch, hidden, device.HostPointer(v0), FusedOps.Host(h2), FusedOps.Host(dz2F1));
                else device.Launch(HamiltonianKernels.TanhGradRow, n, n, hidden, v0, h2.View, dz2F1.View);
            }
            device.Gemm(false, false, net.Rows * batch, hidden, hidden, 1f, dz2.View, hidden, w1.View, hidden, 0f, dh1.View, hidden);
            int outputs = batch * size;
            if (host)
                HamiltonianHost.FieldOut(batch, inputs, hidden, net.Degrees, net.Dissipative, FusedOps.Host(dh1), FusedOps.Host(h1), FusedOps.Host(w0), FusedOps.Host(field));
            else device.Launch(HamiltonianKernels.FieldOut, outputs, outputs, batch, inputs, hidden, net.Degrees, net.Dissipative ? 1 : 0,
                dh1.View, h1.View, w0.View, field.View);
        }
    }

    public void Dispose()
    {
        foreach (var t in new[] { input, h1, h2, dz2, dh1, k1, k2, k3, k4 }) t.Dispose();
    }
}

/// <summary>The ILGPU kernels of <see cref="HamiltonianRk4"/> (CUDA's path); grid-stride over their first argument.</summary>
public static class HamiltonianKernels
{
    /// <summary>
    /// input = (y + k·c, t): y, k (B, s), input (B, inputs) with inputs = s or s + 1 (the time column); c = 0 copies y
    /// (k may then hold anything). n = B·inputs.
    /// </summary>
    [Kernel]
    public static void StageInput(int n, int inputs, int s, ArrayView<float> y, ArrayView<float> k, float c, float t, ArrayView<float> input)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            int b = e / inputs, i = e - b * inputs;
            input[e] = i == s ? t : c == 0f ? y[b * s + i] : y[b * s + i] + k[b * s + i] * c;
        }
    }

    /// <summary>dz[e] = v[j]·(1 − h2[e]²): the upstream of a second output row. v (H); h2, dz (B, H); n = B·H.</summary>
    [Kernel]
    public static void TanhGradRow(int n, int hidden, ArrayView<float> v, ArrayView<float> h2, ArrayView<float> dz)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            float t = h2[e];
            dz[e] = v[e % hidden] * (1f - t * t);
        }
    }

    /// <summary>
    /// f[b, c] from g_o[b, i] = Σ_j dh1_o[b, j]·(1 − h1[b, j]²)·w0[j, i]: (∂F₂/∂p, −∂F₂/∂q), plus ∇F₁ when
    /// <paramref name="dissipative"/> is 1 (dh1's rows B..2B hold F₁'s). dh1 (rows·B, H), h1 (B, H), w0 (H, inputs), f (B, 2d); n = B·2d.
    /// </summary>
    [Kernel]
    public static void FieldOut(int n, int batch, int inputs, int hidden, int degrees, int dissipative, ArrayView<float> dh1, ArrayView<float> h1,
        ArrayView<float> w0, ArrayView<float> f)
    {
        int s = 2 * degrees;
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
        {
            int b = e / s, c = e - b * s;
            int column = c < degrees ? c + degrees : c - degrees; // q̇_c = ∂F₂/∂p_c; ṗ_c = −∂F₂/∂q_c
            float g2 = 0f, g1 = 0f;
            for (int j = 0; j < hidden; j++)
            {
                float t = h1[b * hidden + j], s1 = 1f - t * t;
                g2 += dh1[b * hidden + j] * s1 * w0[j * inputs + column];
                if (dissipative != 0) g1 += dh1[(batch + b) * hidden + j] * s1 * w0[j * inputs + c];
            }
            f[e] = (c < degrees ? g2 : -g2) + g1;
        }
    }

    /// <summary>next = y + ((k1 + 2k2) + (2k3 + k4))·dt6, all (n). </summary>
    [Kernel]
    public static void Combine(int n, ArrayView<float> y, ArrayView<float> k1, ArrayView<float> k2, ArrayView<float> k3, ArrayView<float> k4,
        float dt6, ArrayView<float> next)
    {
        for (int e = GridStride.Start; e < n; e += GridStride.Step)
            next[e] = y[e] + (k1[e] + k2[e] * 2f + (k3[e] * 2f + k4[e])) * dt6;
    }
}
