using WeJepa.Learning.Parameters;
using WeJepa.Training.Data;
using WeJepa.Training.Rollouts;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Dynamics;

/// <summary>The sizes of <see cref="HnnPendulumProtocol"/>; the defaults are Greydanus et al.'s Task 2.</summary>
public sealed record HnnPendulumOptions(int Seeds = 3, int Steps = 2000, int Hidden = 200, int Trajectories = 50, int Samples = 45,
    double Noise = 0.1, int EnergyStates = 15, int EnergySamples = 100, double EnergyHorizon = 20, int Substeps = 10);

/// <summary>One model's numbers for one seed; <c>EnergyConfidence</c> is analyze-pend's error bar of the energy MSE
/// (the standard deviation of the means of 5 splits of the per-trajectory MSEs, over √5). Beyond the paper, the HNN's
/// energy test is also rolled out with the symplectic integrators: leapfrog (<c>Leapfrog…</c>) and the implicit midpoint
/// rule (<c>Midpoint…</c>); NaN for the baseline.</summary>
public sealed record ProtocolResult(string Model, ulong Seed, double TrainLoss, double TestLoss, double EnergyMseQuadratic, double EnergyConfidence, double EnergyMseTrue,
    double LeapfrogMseQuadratic = double.NaN, double LeapfrogMseTrue = double.NaN, double MidpointMseQuadratic = double.NaN, double MidpointMseTrue = double.NaN);

/// <summary>
/// The HNN paper's ideal pendulum (Greydanus et al. 2019, Task 2, as its experiment-pend produced the README's table):
/// H = 3(1 − cos q) + p²; trajectories on t ∈ [0, 3] with 45 samples from initial states in a uniform direction scaled to
/// a radius in [1.3, 2.3], integrated accurately (RK4 in double, 1000 substeps per sample: far below rtol 1e-10); exact
/// derivatives of the clean states; Gaussian noise σ on q and p; the first half of the trajectories train, the rest test;
/// a 2→h→h→2 tanh net trained full batch with Adam (lr 1e-3, L2 weight decay 1e-4). Energy MSE as analyze-pend computes
/// it: learned and true trajectories from 15 initial states (each coordinate in ±[0.2, 1]) on t ∈ [0, 20] at 100 samples, the mean squared difference of
/// their "energy" q² + p² (and, beyond the paper, of the true H). Where we differ: nn.Linear's initialisation instead
/// of orthogonal, and the baseline's last layer keeps its bias; the learned rollout is RK4 with <c>Substeps</c> steps per
/// sample instead of scipy's adaptive RK45.
/// </summary>
public static class HnnPendulumProtocol
{
    /// <summary>The paper's numbers with their error bars (its README and analyze-pend's output).</summary>
    public sealed record PaperRow(double Train, double TrainError, double Test, double TestError, double Energy, double EnergyError);

    public static readonly PaperRow PaperBaseline = new(3.2606e-2, 1.7434e-3, 3.5273e-2, 1.7970e-3, 4.1519e-2, 9.62e-3),
        PaperHnn = new(3.2787e-2, 1.7567e-3, 3.5586e-2, 1.8178e-3, 2.4852e-2, 5.42e-3);

    public static double Hamiltonian(double q, double p) => 3 * (1 - Math.Cos(q)) + p * p;

    /// <summary>(q̇, ṗ) = (∂H/∂p, −∂H/∂q) = (2p, −3 sin q).</summary>
    static (double Dq, double Dp) Field(double q, double p) => (2 * p, -3 * Math.Sin(q));

    public static IReadOnlyList<ProtocolResult> Run(Device device, HnnPendulumOptions o, Action<string>? log = null)
    {
        var results = new List<ProtocolResult>();
        for (ulong seed = 0; seed < (ulong)o.Seeds; seed++)
        {
            var set = Trajectories(o.Trajectories, o.Samples, 3.0, seed, substeps: 1000);
            var split = TrainingSplit.Of(set, 0.5, o.Noise, seed);
            var starts = EnergyTestStates(o.EnergyStates, seed);
            var sampleDt = o.EnergyHorizon / (o.EnergySamples - 1);
            var truth = Trajectories(starts, o.EnergySamples, sampleDt, substeps: 1000).States;
            foreach (var model in new[] { "mlp", "hnn" })
            {
                var config = new DynamicsConfig { Model = model, Hidden = o.Hidden, Steps = o.Steps, Lr = 1e-3, WeightDecay = 1e-4, Optimizer = "adam", Seed = seed, TestFraction = 0.5 }.Validate();
                using var trainer = new DynamicsTrainer(device, config, split, 1, outDir: "");
                double train = 0;
                for (int k = 0; k < o.Steps; k++) train = trainer.TrainOneStep();
                double test = trainer.TestLoss() ?? double.NaN;
                float[] Learned(RolloutIntegrator integrator) => Every(BatchRollout.Run(trainer.Model, starts, sampleDt / o.Substeps, (o.EnergySamples - 1) * o.Substeps, integrator),
                    o.EnergyStates, o.Substeps, o.EnergySamples);
                double Quadratic(double q, double p) => q * q + p * p;
                var learned = Learned(RolloutIntegrator.Rk4);
                var quadratic = EnergyMse(learned, truth, o.EnergySamples, Quadratic);
                var r = new ProtocolResult(model, seed, train, test, quadratic.Average(), BootstrapConfidence(quadratic),
                    EnergyMse(learned, truth, o.EnergySamples, Hamiltonian).Average());
                if (trainer.Model.SupportsLeapfrog)
                {
                    var (leapfrog, midpoint) = (Learned(RolloutIntegrator.Leapfrog), Learned(RolloutIntegrator.Midpoint));
                    r = r with
                    {
                        LeapfrogMseQuadratic = EnergyMse(leapfrog, truth, o.EnergySamples, Quadratic).Average(), LeapfrogMseTrue = EnergyMse(leapfrog, truth, o.EnergySamples, Hamiltonian).Average(),
                        MidpointMseQuadratic = EnergyMse(midpoint, truth, o.EnergySamples, Quadratic).Average(), MidpointMseTrue = EnergyMse(midpoint, truth, o.EnergySamples, Hamiltonian).Average(),
                    };
                }
                log?.Invoke($"seed {seed} {model}: train {train:e3}, test {test:e3}, energy MSE {r.EnergyMseQuadratic:e3} ± {r.EnergyConfidence:e2} (true H {r.EnergyMseTrue:e3})" +
                            (double.IsNaN(r.LeapfrogMseQuadratic) ? "" : $"; leapfrog {r.LeapfrogMseQuadratic:e3} (true H {r.LeapfrogMseTrue:e3})") +
                            (double.IsNaN(r.MidpointMseQuadratic) ? "" : $"; midpoint {r.MidpointMseQuadratic:e3} (true H {r.MidpointMseTrue:e3})"));
                results.Add(r);
            }
        }
        return results;
    }

    /// <summary>analyze-pend's energy-test starts: each coordinate uniform in ±[0.2, 1.0] (rand·1.6 − 0.8, pushed 0.2 away from 0).</summary>
    public static float[] EnergyTestStates(int count, ulong seed)
    {
        var random = new InitRandom(seed * 104729 + 3);
        var states = new float[2 * count];
        for (int i = 0; i < states.Length; i++)
        {
            double x = random.NextDouble() * 1.6 - 0.8;
            states[i] = (float)(x + 0.2 * Math.Sign(x));
        }
        return states;
    }

    /// <summary>Greydanus's initial state: a uniform point of [−1, 1]² normalised to a radius drawn from [1.3, 2.3].</summary>
    public static float[] InitialStates(int count, ulong seed)
    {
        var random = new InitRandom(seed * 7919 + 17);
        var states = new float[2 * count];
        for (int i = 0; i < count; i++)
        {
            double q = random.NextDouble() * 2 - 1, p = random.NextDouble() * 2 - 1, radius = random.NextDouble() + 1.3;
            double norm = Math.Sqrt(q * q + p * p);
            (states[2 * i], states[2 * i + 1]) = ((float)(q / norm * radius), (float)(p / norm * radius));
        }
        return states;
    }

    static TrajectorySet Trajectories(int count, int samples, double span, ulong seed, int substeps) =>
        Trajectories(InitialStates(count, seed), samples, span / (samples - 1), substeps);

    /// <summary>States (N, samples, 2) every <paramref name="dt"/> from <paramref name="starts"/>, with their exact derivatives.</summary>
    static TrajectorySet Trajectories(float[] starts, int samples, double dt, int substeps)
    {
        int n = starts.Length / 2;
        var (states, derivatives) = (new float[n * samples * 2], new float[n * samples * 2]);
        Parallel.For(0, n, i =>
        {
            double q = starts[2 * i], p = starts[2 * i + 1], h = dt / substeps;
            for (int k = 0; k < samples; k++)
            {
                int at = (i * samples + k) * 2;
                (states[at], states[at + 1]) = ((float)q, (float)p);
                var (dq, dp) = Field(states[at], states[at + 1]); // the derivative of the stored (float32) state
                (derivatives[at], derivatives[at + 1]) = ((float)dq, (float)dp);
                for (int j = 0; j < substeps; j++) (q, p) = Rk4(q, p, h);
            }
        });
        return new TrajectorySet(n, samples, 2, dt, states, derivatives, "exact: (2p, −3 sin q)", null);
    }

    static (double Q, double P) Rk4(double q, double p, double h)
    {
        var (a1, b1) = Field(q, p);
        var (a2, b2) = Field(q + h / 2 * a1, p + h / 2 * b1);
        var (a3, b3) = Field(q + h / 2 * a2, p + h / 2 * b2);
        var (a4, b4) = Field(q + h * a3, p + h * b3);
        return (q + h / 6 * (a1 + 2 * a2 + 2 * a3 + a4), p + h / 6 * (b1 + 2 * b2 + 2 * b3 + b4));
    }

    /// <summary>Every <paramref name="stride"/>-th frame of (B, T, 2) states: (B, samples, 2).</summary>
    static float[] Every(float[] states, int b, int stride, int samples)
    {
        int frames = (samples - 1) * stride + 1;
        var result = new float[b * samples * 2];
        for (int i = 0; i < b; i++)
            for (int k = 0; k < samples; k++)
                Array.Copy(states, (i * frames + k * stride) * 2, result, (i * samples + k) * 2, 2);
        return result;
    }

    /// <summary>Per trajectory: mean over its samples of (E(learned) − E(true))².</summary>
    static double[] EnergyMse(float[] learned, float[] truth, int samples, Func<double, double, double> energy)
    {
        var result = new double[learned.Length / 2 / samples];
        for (int i = 0; i < learned.Length; i += 2)
        {
            double e = energy(learned[i], learned[i + 1]) - energy(truth[i], truth[i + 1]);
            result[i / 2 / samples] += e * e / samples;
        }
        return result;
    }

    /// <summary>analyze-pend's <c>bootstrap_conf</c>: np.std of the means of 5 equal splits, over √5.</summary>
    static double BootstrapConfidence(double[] values, int splits = 5)
    {
        int size = values.Length / splits;
        if (size == 0) return double.NaN;
        var means = Enumerable.Range(0, splits).Select(k => values.Skip(k * size).Take(size).Average()).ToArray();
        double mean = means.Average();
        return Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / splits) / Math.Sqrt(splits);
    }
}
