using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Training.Loop;

/// <summary>
/// An episode's initial state from its first K frames: (θ₀, ω₀) minimising Σₖ wrap(θ̂ₖ − θ(k·dt; θ₀, ω₀))², θ(·) the
/// learned model's rollout — least squares through the learned dynamics, so K noisy angle estimates pin down the angle
/// and the velocity far better than one frame (or a finite difference of two) can. Levenberg–Marquardt on the 2×2
/// normal equations, the Jacobian by forward differences; every episode's three rollouts (the point and its two
/// nudges) go in one batch.
/// </summary>
public static class InitialStateFit
{
    const double Nudge = 1e-3;

    /// <summary>
    /// θ̂ (E·K) episode-major and guesses (E·2) → fitted initial states (E·2). <paramref name="dt"/> is the frame interval.
    /// </summary>
    public static float[] Fit(DynamicsModel model, double[] theta, int frames, float[] guess, double dt, int iterations = 12)
    {
        if (model.Degrees != 1) throw new ArgumentException($"initial-state fit: simple pendulums only (d = 1), not d = {model.Degrees}");
        int e = guess.Length / 2;
        if (theta.Length != e * frames || frames < 2) throw new ArgumentException($"initial-state fit: {theta.Length} angles are not {e} × {frames} (K ≥ 2)");
        var best = Array.ConvertAll(guess, v => (double)v);
        var candidate = (double[])best.Clone();
        var bestCost = Enumerable.Repeat(double.PositiveInfinity, e).ToArray();
        var (jtj, jtr) = (new double[e * 3], new double[e * 2]);
        var damping = Enumerable.Repeat(1e-3, e).ToArray();
        for (int iteration = 0; iteration <= iterations; iteration++)
        {
            var batch = new float[e * 6];
            for (int i = 0; i < e; i++)
                for (int n = 0; n < 3; n++)
                {
                    batch[(i * 3 + n) * 2] = (float)(candidate[2 * i] + (n == 1 ? Nudge : 0));
                    batch[(i * 3 + n) * 2 + 1] = (float)(candidate[2 * i + 1] + (n == 2 ? Nudge : 0));
                }
            var rolled = BatchRollout.Run(model, batch, dt, frames - 1);
            double Angle(int i, int n, int k) => rolled[((i * 3 + n) * frames + k) * 2];
            for (int i = 0; i < e; i++)
            {
                double cost = 0;
                for (int k = 0; k < frames; k++) cost += Math.Pow(SmoothedTrajectories.Wrapped(theta[i * frames + k] - Angle(i, 0, k)), 2);
                if (!(cost < bestCost[i]))
                {
                    damping[i] *= 4;   // rejected: back to the best point, a shorter step
                    Step(i);
                    continue;
                }
                (bestCost[i], best[2 * i], best[2 * i + 1]) = (cost, candidate[2 * i], candidate[2 * i + 1]);
                damping[i] = Math.Max(damping[i] / 3, 1e-9);
                double a = 0, b = 0, c = 0, g0 = 0, g1 = 0;
                for (int k = 0; k < frames; k++)
                {
                    double r = SmoothedTrajectories.Wrapped(theta[i * frames + k] - Angle(i, 0, k));
                    double j0 = (Angle(i, 1, k) - Angle(i, 0, k)) / Nudge, j1 = (Angle(i, 2, k) - Angle(i, 0, k)) / Nudge;
                    (a, b, c, g0, g1) = (a + j0 * j0, b + j0 * j1, c + j1 * j1, g0 + j0 * r, g1 + j1 * r);
                }
                (jtj[3 * i], jtj[3 * i + 1], jtj[3 * i + 2], jtr[2 * i], jtr[2 * i + 1]) = (a, b, c, g0, g1);
                Step(i);
            }
        }
        return Array.ConvertAll(best, v => (float)v);

        // candidate = best + (JᵀJ + μ·diag(JᵀJ))⁻¹ Jᵀr
        void Step(int i)
        {
            double a = jtj[3 * i] * (1 + damping[i]) + 1e-12, b = jtj[3 * i + 1], c = jtj[3 * i + 2] * (1 + damping[i]) + 1e-12;
            double det = a * c - b * b;
            double d0 = (c * jtr[2 * i] - b * jtr[2 * i + 1]) / det, d1 = (a * jtr[2 * i + 1] - b * jtr[2 * i]) / det;
            (candidate[2 * i], candidate[2 * i + 1]) = (best[2 * i] + d0, best[2 * i + 1] + d1);
        }
    }
}
