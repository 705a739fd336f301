using WeJepa.Simulation.Reference;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Training.Loop;

/// <summary>A rollout's numbers as a round logs them (what a resumed run reads back for the rounds it does not redo).</summary>
public sealed record LoopScore(int Horizon, double ThetaMse, double MedianEnergyDrift, double InitialThetaError, double InitialOmegaError);

/// <summary>
/// How well a learned model predicts held-out episodes: from an initial state (estimated from the first frames, or the
/// true one for the oracle) the model is rolled out <see cref="Horizon"/> steps beside the reference physics from the
/// true initial state. <see cref="ThetaMse"/>: mean over episodes and steps 1..H of wrap(θ − θ_true)² (rad²);
/// <see cref="MedianEnergyDrift"/>: median over episodes of |E(x_H) − E(x_0)| / |E(x_0)| of the true energy along the
/// learned trajectory. <see cref="Run"/> keeps the trajectories for the pictures.
/// </summary>
public sealed record LoopEvaluation(int Horizon, double ThetaMse, double MedianEnergyDrift, double InitialThetaError, double InitialOmegaError,
    RolloutRun Run, float[] Initial)
{
    public LoopScore Score => new(Horizon, ThetaMse, MedianEnergyDrift, InitialThetaError, InitialOmegaError);

    /// <summary>Rolls <paramref name="model"/> out from <paramref name="initial"/> (E·2); the truth starts at the episodes' true first states.</summary>
    public static LoopEvaluation Of(DynamicsModel model, CameraRecording episodes, float[] initial, int horizon)
    {
        var scene = episodes.Scene;
        int e = episodes.Episodes, s = episodes.StateSize, frames = horizon + 1;
        var trueInitial = new float[e * s];
        for (int i = 0; i < e; i++) episodes.StateOf(i, 0).CopyTo(trueInitial.AsSpan(i * s, s));
        double dt = scene.Settings.Dt;
        var learned = BatchRollout.Run(model, initial, dt, horizon);
        var truth = EnergyMetrics.TrueRollout(i => Environments.Dynamics(scene, episodes.FirstEpisode + i), trueInitial, s, dt, horizon, substeps: 10);
        var (learnedEnergy, trueEnergy) = (new double[e * frames], new double[e * frames]);
        var drift = new double[e];
        double squared = 0;
        for (int i = 0; i < e; i++)
        {
            var system = Environments.Dynamics(scene, episodes.FirstEpisode + i);
            for (int k = 0; k < frames; k++)
            {
                int at = (i * frames + k) * s;
                learnedEnergy[i * frames + k] = system.Energy([learned[at], learned[at + 1]]).Total;
                trueEnergy[i * frames + k] = system.Energy([truth[at], truth[at + 1]]).Total;
                if (k > 0) squared += Math.Pow(SmoothedTrajectories.Wrapped(learned[at] - truth[at]), 2);
            }
            double e0 = learnedEnergy[i * frames];
            drift[i] = Math.Abs(learnedEnergy[i * frames + horizon] - e0) / Math.Max(Math.Abs(e0), 1e-12);
        }
        double thetaError = 0, omegaError = 0;
        for (int i = 0; i < e; i++)
        {
            thetaError += Math.Pow(SmoothedTrajectories.Wrapped(initial[2 * i] - trueInitial[2 * i]), 2);
            omegaError += Math.Pow(initial[2 * i + 1] - trueInitial[2 * i + 1], 2);
        }
        var run = new RolloutRun(e, horizon, s, dt, learned, truth, learnedEnergy, trueEnergy, null);
        return new LoopEvaluation(horizon, squared / (e * horizon), Median(drift), Math.Sqrt(thetaError / e), Math.Sqrt(omegaError / e), run, initial);
    }

    static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
