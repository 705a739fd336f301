using WeJepa.Training.Data;

namespace WeJepa.Training.Loop;

/// <summary>
/// States and derivatives from estimated angles alone, as a user with only a camera would get them: each episode's
/// θ̂(t) is unwrapped, then a Savitzky–Golay filter (a least-squares polynomial of <c>degree</c> over a window of
/// <c>window</c> frames around each frame, shifted inside the episode at its ends) gives θ, ω = θ̇ and α = θ̈ at every
/// frame. The window trades noise (per-frame estimates are noisy, and a second derivative amplifies noise by 1/dt²)
/// against bias (it must stay short against the swing period).
/// </summary>
public static class SmoothedTrajectories
{
    /// <summary>θ̂ (E·T) episode-major → (θ, ω) states and (ω, α) derivatives, (E, T, 2).</summary>
    public static TrajectorySet Of(double[] theta, int episodes, int frames, double dt, int window, int degree)
    {
        if (theta.Length != episodes * frames) throw new ArgumentException($"smoothing: {theta.Length} angles are not {episodes} × {frames}");
        if (window < degree + 2 || window > frames) throw new ArgumentException($"smoothing: window {window} must be in [{degree + 2}, {frames}] frames");
        var filters = Enumerable.Range(0, window).Select(at => Filter(window, at, degree)).ToArray();
        var (states, derivatives) = (new float[episodes * frames * 2], new float[episodes * frames * 2]);
        Parallel.For(0, episodes, e =>
        {
            var y = Unwrapped(theta.AsSpan(e * frames, frames));
            for (int k = 0; k < frames; k++)
            {
                int first = Math.Clamp(k - window / 2, 0, frames - window);
                var f = filters[k - first];
                double v = 0, d1 = 0, d2 = 0;
                for (int j = 0; j < window; j++) (v, d1, d2) = (v + f[0, j] * y[first + j], d1 + f[1, j] * y[first + j], d2 + f[2, j] * y[first + j]);
                int at = (e * frames + k) * 2;
                (states[at], states[at + 1]) = ((float)v, (float)(d1 / dt));
                (derivatives[at], derivatives[at + 1]) = ((float)(d1 / dt), (float)(2 * d2 / (dt * dt)));
            }
        });
        return new TrajectorySet(episodes, frames, 2, dt, states, derivatives, $"Savitzky–Golay (window {window}, degree {degree}) of the estimated angles", null);
    }

    /// <summary>Angles with the 2π jumps between neighbours removed.</summary>
    public static double[] Unwrapped(ReadOnlySpan<double> theta)
    {
        var y = theta.ToArray();
        for (int k = 1; k < y.Length; k++) y[k] = y[k - 1] + Wrapped(theta[k] - theta[k - 1]);
        return y;
    }

    /// <summary>An angle difference mapped to (−π, π].</summary>
    public static double Wrapped(double d) => Math.IEEERemainder(d, 2 * Math.PI);

    /// <summary>
    /// Rows 0..2 give the fitted polynomial's coefficients of u⁰, u¹, u² at offset <paramref name="at"/> of a window
    /// (u the frame offset from there): (VᵀV)⁻¹Vᵀ for the Vandermonde V[j, m] = (j − at)^m, solved by Gauss–Jordan.
    /// </summary>
    static double[,] Filter(int window, int at, int degree)
    {
        int m = degree + 1;
        var a = new double[m, m + window];   // [VᵀV | Vᵀ]
        for (int j = 0; j < window; j++)
            for (int r = 0; r < m; r++)
            {
                double vr = Math.Pow(j - at, r);
                for (int c = 0; c < m; c++) a[r, c] += vr * Math.Pow(j - at, c);
                a[r, m + j] = vr;
            }
        for (int c = 0; c < m; c++)
        {
            int pivot = Enumerable.Range(c, m - c).MaxBy(r => Math.Abs(a[r, c]));
            for (int k = 0; k < m + window; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            double p = a[c, c];
            for (int k = 0; k < m + window; k++) a[c, k] /= p;
            for (int r = 0; r < m; r++)
            {
                if (r == c || a[r, c] == 0) continue;
                double factor = a[r, c];
                for (int k = 0; k < m + window; k++) a[r, k] -= factor * a[c, k];
            }
        }
        var filter = new double[3, window];
        for (int r = 0; r < Math.Min(3, m); r++)
            for (int j = 0; j < window; j++) filter[r, j] = a[r, m + j];
        return filter;
    }
}
