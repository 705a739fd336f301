using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace WeJepa.Learning;

/// <summary>
/// The CPU accelerator's path of <see cref="Ops.TanhMlpInputGradient"/>: one pass per stage over the rows of (B, H),
/// each element worked on in registers (Vector&lt;float&gt;, <see cref="FastTanh"/>); the batch reductions are per-chunk
/// partial sums merged in chunk order (deterministic). For H a multiple of the vector width and small I (state widths).
/// </summary>
static unsafe class TanhMlpHost
{
    static int W => Vector<float>.Count;

    public static bool Supports(int inputs, int hidden) => hidden % Vector<float>.Count == 0 && inputs <= 16;

    /// <summary>h1 = tanh(x·w0ᵀ + b0). x (B, I), w0 (H, I), b0 (H), h1 (B, H).</summary>
    public static void Hidden0(int rows, int inputs, int hidden, float* x, float* w0, float* b0, float* h1)
    {
        var w0T = Transpose(w0, hidden, inputs);
        nint xp = (nint)x, bp = (nint)b0, hp = (nint)h1;
        HostLoops.ForRows(rows, hidden, (start, count) => Hidden0Rows(start, count, inputs, hidden, (float*)xp, w0T, (float*)bp, (float*)hp));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Hidden0Rows(int start, int count, int inputs, int hidden, float* x, float[] w0T, float* b0, float* h1)
    {
        fixed (float* wt = w0T)
            for (int r = start; r < start + count; r++)
            {
                float* xr = x + (long)r * inputs, h = h1 + (long)r * hidden;
                for (int j = 0; j < hidden; j += W)
                {
                    var z = Load(b0 + j);
                    for (int i = 0; i < inputs; i++) z += Load(wt + i * hidden + j) * new Vector<float>(xr[i]);
                    Store(h + j, FastTanh.Of(z));
                }
            }
    }

    /// <summary>h2 = tanh(h2 + b1) in place, dz2 = v·(1 − h2²). b1, v (H); h2, dz2 (B, H).</summary>
    public static void Hidden1(int rows, int hidden, float* b1, float* v, float* h2, float* dz2)
    {
        nint bp = (nint)b1, vp = (nint)v, hp = (nint)h2, dp = (nint)dz2;
        HostLoops.ForRows(rows, hidden, (start, count) => Hidden1Rows(start, count, hidden, (float*)bp, (float*)vp, (float*)hp, (float*)dp));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Hidden1Rows(int start, int count, int hidden, float* b1, float* v, float* h2, float* dz2)
    {
        for (long e = (long)start * hidden; e < (long)(start + count) * hidden; e += W)
        {
            int j = (int)(e % hidden);
            var t = FastTanh.Of(Load(h2 + e) + Load(b1 + j));
            Store(h2 + e, t);
            Store(dz2 + e, Load(v + j) * (Vector<float>.One - t * t));
        }
    }

    /// <summary>∇ₓ = (dh1·(1 − h1²))·w0. dh1, h1 (B, H), w0 (H, I), gx (B, I).</summary>
    public static void InputGradient(int rows, int inputs, int hidden, float* dh1, float* h1, float* w0, float* gx)
    {
        var w0T = Transpose(w0, hidden, inputs);
        nint dp = (nint)dh1, hp = (nint)h1, gp = (nint)gx;
        HostLoops.ForRows(rows, hidden, (start, count) => InputGradientRows(start, count, inputs, hidden, (float*)dp, (float*)hp, w0T, (float*)gp));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void InputGradientRows(int start, int count, int inputs, int hidden, float* dh1, float* h1, float[] w0T, float* gx)
    {
        var acc = stackalloc Vector<float>[inputs];
        fixed (float* wt = w0T)
            for (int r = start; r < start + count; r++)
            {
                float* d = dh1 + (long)r * hidden, h = h1 + (long)r * hidden;
                for (int i = 0; i < inputs; i++) acc[i] = Vector<float>.Zero;
                for (int j = 0; j < hidden; j += W)
                {
                    var t = Load(h + j);
                    var dz1 = Load(d + j) * (Vector<float>.One - t * t);
                    for (int i = 0; i < inputs; i++) acc[i] += dz1 * Load(wt + i * hidden + j);
                }
                for (int i = 0; i < inputs; i++) gx[(long)r * inputs + i] = Vector.Sum(acc[i]);
            }
    }

    /// <summary>
    /// A1 = u·w0; ddh1 = A1·s1; dw0 = Σ_b (dh1·s1) ⊗ u (dz1 recomputed), s1 = 1 − h1².
    /// u (B, I), w0 (H, I), h1, dh1, ddh1 (B, H), dw0 (H, I).
    /// </summary>
    public static void Backward0(int rows, int inputs, int hidden, float* u, float* w0, float* h1, float* dh1, float* ddh1, float* dw0)
    {
        var w0T = Transpose(w0, hidden, inputs);
        nint up = (nint)u, hp = (nint)h1, dp = (nint)dh1, ddp = (nint)ddh1;
        var partial = new float[HostLoops.RowChunkCount(rows, hidden)][];
        HostLoops.ForRowChunks(rows, hidden, (c, start, count) =>
            Backward0Rows(start, count, inputs, hidden, (float*)up, w0T, (float*)hp, (float*)dp, (float*)ddp, partial[c] = new float[inputs * hidden]));
        MergeTransposed(partial, hidden, inputs, dw0, accumulate: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Backward0Rows(int start, int count, int inputs, int hidden, float* u, float[] w0T, float* h1, float* dh1, float* ddh1, float[] dwT)
    {
        fixed (float* wt = w0T, dw = dwT)
            for (int r = start; r < start + count; r++)
            {
                float* ur = u + (long)r * inputs;
                long row = (long)r * hidden;
                for (int j = 0; j < hidden; j += W)
                {
                    var a = Vector<float>.Zero;
                    for (int i = 0; i < inputs; i++) a += Load(wt + i * hidden + j) * new Vector<float>(ur[i]);
                    var t = Load(h1 + row + j);
                    var s = Vector<float>.One - t * t;
                    Store(ddh1 + row + j, a * s);
                    var dz1 = Load(dh1 + row + j) * s;
                    for (int i = 0; i < inputs; i++) Store(dw + i * hidden + j, Load(dw + i * hidden + j) + dz1 * new Vector<float>(ur[i]));
                }
            }
    }

    /// <summary>
    /// dv = Σ_b A2·s2, then a2 = −2·h2·A2·v·s2 in place (∂z2) and db1 = Σ_b ∂z2, s2 = 1 − h2².
    /// h2, a2 (B, H); v, dv, db1 (H).
    /// </summary>
    public static void Backward1(int rows, int hidden, float* h2, float* v, float* a2, float* dv, float* db1)
    {
        nint hp = (nint)h2, vp = (nint)v, ap = (nint)a2;
        var partial = new float[HostLoops.RowChunkCount(rows, hidden)][];
        HostLoops.ForRowChunks(rows, hidden, (c, start, count) =>
            Backward1Rows(start, count, hidden, (float*)hp, (float*)vp, (float*)ap, partial[c] = new float[2 * hidden]));
        var dvs = new Span<float>(dv, hidden);
        var dbs = new Span<float>(db1, hidden);
        dvs.Clear();
        dbs.Clear();
        foreach (var p in partial)
        {
            TensorPrimitives.Add(dvs, p.AsSpan(0, hidden), dvs);
            TensorPrimitives.Add(dbs, p.AsSpan(hidden, hidden), dbs);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Backward1Rows(int start, int count, int hidden, float* h2, float* v, float* a2, float[] sums)
    {
        var minusTwo = new Vector<float>(-2f);
        fixed (float* dv = sums)
        {
            float* db = dv + hidden;
            for (int r = start; r < start + count; r++)
            {
                long row = (long)r * hidden;
                for (int j = 0; j < hidden; j += W)
                {
                    var t = Load(h2 + row + j);
                    var s = Vector<float>.One - t * t;
                    var a = Load(a2 + row + j);
                    Store(dv + j, Load(dv + j) + a * s);
                    var d = minusTwo * t * a * Load(v + j) * s;
                    Store(a2 + row + j, d);
                    Store(db + j, Load(db + j) + d);
                }
            }
        }
    }

    /// <summary>
    /// g = (g − 2·h1·A1·dh1)·(1 − h1²) in place (∂z2·w1 → ∂z1), A1 = u·w0 recomputed; db0 = Σ_b ∂z1, dw0 += Σ_b ∂z1 ⊗ x.
    /// u, x (B, I), w0 (H, I), dh1, g, h1 (B, H), db0 (H), dw0 (H, I).
    /// </summary>
    public static void Backward2(int rows, int inputs, int hidden, float* u, float* w0, float* dh1, float* g, float* h1, float* x, float* db0, float* dw0)
    {
        var w0T = Transpose(w0, hidden, inputs);
        nint up = (nint)u, dp = (nint)dh1, gp = (nint)g, hp = (nint)h1, xp = (nint)x;
        var partial = new float[HostLoops.RowChunkCount(rows, hidden)][];
        HostLoops.ForRowChunks(rows, hidden, (c, start, count) =>
            Backward2Rows(start, count, inputs, hidden, (float*)up, w0T, (float*)dp, (float*)gp, (float*)hp, (float*)xp, partial[c] = new float[(inputs + 1) * hidden]));
        MergeTransposed(partial, hidden, inputs, dw0, accumulate: true);
        var dbs = new Span<float>(db0, hidden);
        dbs.Clear();
        foreach (var p in partial) TensorPrimitives.Add(dbs, p.AsSpan(inputs * hidden, hidden), dbs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Backward2Rows(int start, int count, int inputs, int hidden, float* u, float[] w0T, float* dh1, float* g, float* h1, float* x, float[] sums)
    {
        var minusTwo = new Vector<float>(-2f);
        fixed (float* wt = w0T, dw = sums) // sums: (dw0ᵀ (I, H), db0 (H))
        {
            float* db = dw + inputs * hidden;
            for (int r = start; r < start + count; r++)
            {
                float* ur = u + (long)r * inputs, xr = x + (long)r * inputs;
                long row = (long)r * hidden;
                for (int j = 0; j < hidden; j += W)
                {
                    var a = Vector<float>.Zero;
                    for (int i = 0; i < inputs; i++) a += Load(wt + i * hidden + j) * new Vector<float>(ur[i]);
                    var t = Load(h1 + row + j);
                    var d = (Load(g + row + j) + minusTwo * t * a * Load(dh1 + row + j)) * (Vector<float>.One - t * t);
                    Store(g + row + j, d);
                    Store(db + j, Load(db + j) + d);
                    for (int i = 0; i < inputs; i++) Store(dw + i * hidden + j, Load(dw + i * hidden + j) + d * new Vector<float>(xr[i]));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<float> Load(float* p) => Unsafe.ReadUnaligned<Vector<float>>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* p, Vector<float> v) => Unsafe.WriteUnaligned(p, v);

    /// <summary>m (rows, cols) → (cols, rows) on the host.</summary>
    static float[] Transpose(float* m, int rows, int cols)
    {
        var t = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    /// <summary>result (H, I) (+)= Σ_chunks partial (I, H …), the chunks summed in order.</summary>
    static void MergeTransposed(float[][] partial, int hidden, int inputs, float* result, bool accumulate)
    {
        for (int j = 0; j < hidden; j++)
            for (int i = 0; i < inputs; i++)
            {
                float s = accumulate ? result[j * inputs + i] : 0f;
                foreach (var p in partial) s += p[i * hidden + j];
                result[j * inputs + i] = s;
            }
    }
}
