using System.Numerics;
using System.Runtime.CompilerServices;

namespace WeJepa.Learning.Models;

/// <summary>
/// The CPU accelerator's path of <see cref="HamiltonianRk4"/>'s own passes (the others are <see cref="TanhMlpHost"/>'s):
/// row-parallel loops in registers, each row's arithmetic independent of the batch (a batch equals its rows run alone).
/// </summary>
static unsafe class HamiltonianHost
{
    static int W => Vector<float>.Count;

    /// <summary>input = (y + k·c, t) row by row (c = 0 copies y). y, k (B, s); input (B, inputs), inputs = s or s + 1.</summary>
    public static void StageInput(int rows, int inputs, int s, float* y, float* k, float c, float t, float* input)
    {
        for (int b = 0; b < rows; b++)
        {
            for (int i = 0; i < s; i++) input[(long)b * inputs + i] = c == 0f ? y[(long)b * s + i] : y[(long)b * s + i] + k[(long)b * s + i] * c;
            if (inputs > s) input[(long)b * inputs + s] = t;
        }
    }

    /// <summary>next = y + ((k1 + 2k2) + (2k3 + k4))·dt6 over n values.</summary>
    public static void Combine(int n, float* y, float* k1, float* k2, float* k3, float* k4, float dt6, float* next)
    {
        for (int e = 0; e < n; e++) next[e] = y[e] + (k1[e] + k2[e] * 2f + (k3[e] * 2f + k4[e])) * dt6;
    }

    /// <summary>dz = v·(1 − h2²) row by row. v (H); h2, dz (B, H).</summary>
    public static void TanhGradRow(int rows, int hidden, float* v, float* h2, float* dz)
    {
        nint vp = (nint)v, hp = (nint)h2, dp = (nint)dz;
        HostLoops.ForRows(rows, hidden, (start, count) =>
        {
            float* vv = (float*)vp, hh = (float*)hp, dd = (float*)dp;
            for (long e = (long)start * hidden; e < (long)(start + count) * hidden; e += W)
            {
                var t = Load(hh + e);
                Store(dd + e, Load(vv + e % hidden) * (Vector<float>.One - t * t));
            }
        });
    }

    /// <summary>
    /// f = (∂F₂/∂p, −∂F₂/∂q) (+ ∇F₁) from g_o = (dh1_o·(1 − h1²))·w0, the same per-row sums as
    /// <see cref="TanhMlpHost.InputGradient"/>. dh1 (rows·B, H), h1 (B, H), w0 (H, inputs), f (B, 2d).
    /// </summary>
    public static void FieldOut(int rows, int inputs, int hidden, int degrees, bool dissipative, float* dh1, float* h1, float* w0, float* f)
    {
        int s = 2 * degrees;
        var w0T = new float[s * hidden]; // the state columns of w0, transposed: (s, H)
        for (int j = 0; j < hidden; j++)
            for (int i = 0; i < s; i++) w0T[i * hidden + j] = w0[j * inputs + i];
        nint dp = (nint)dh1, hp = (nint)h1, fp = (nint)f;
        HostLoops.ForRows(rows, hidden, (start, count) => FieldRows(start, count, rows, hidden, degrees, dissipative, (float*)dp, (float*)hp, w0T, (float*)fp));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void FieldRows(int start, int count, int rows, int hidden, int degrees, bool dissipative, float* dh1, float* h1, float[] w0T, float* f)
    {
        int s = 2 * degrees;
        var acc2 = stackalloc Vector<float>[s];
        var acc1 = stackalloc Vector<float>[s];
        fixed (float* wt = w0T)
            for (int r = start; r < start + count; r++)
            {
                float* d2 = dh1 + (long)r * hidden, d1 = dh1 + ((long)rows + r) * hidden, h = h1 + (long)r * hidden;
                for (int i = 0; i < s; i++) acc2[i] = acc1[i] = Vector<float>.Zero;
                for (int j = 0; j < hidden; j += W)
                {
                    var t = Load(h + j);
                    var s1 = Vector<float>.One - t * t;
                    var dz2 = Load(d2 + j) * s1;
                    for (int i = 0; i < s; i++) acc2[i] += dz2 * Load(wt + i * hidden + j);
                    if (dissipative)
                    {
                        var dz1 = Load(d1 + j) * s1;
                        for (int i = 0; i < s; i++) acc1[i] += dz1 * Load(wt + i * hidden + j);
                    }
                }
                float* row = f + (long)r * s;
                for (int i = 0; i < degrees; i++)
                {
                    row[i] = Vector.Sum(acc2[degrees + i]);
                    row[degrees + i] = -Vector.Sum(acc2[i]);
                }
                if (dissipative)
                    for (int i = 0; i < s; i++) row[i] += Vector.Sum(acc1[i]);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<float> Load(float* p) => Unsafe.ReadUnaligned<Vector<float>>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* p, Vector<float> v) => Unsafe.WriteUnaligned(p, v);
}
