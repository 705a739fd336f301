using WeJepa.Simulation.Reference;

namespace WeJepa.Training.Rollouts;

/// <summary>
/// How learned trajectories keep (or lose) the true energy and follow the true ones. States are (B, T+1, S)
/// row-major; energies come from <see cref="IDynamics.Energy"/> of the reference system.
/// </summary>
public static class EnergyMetrics
{
    /// <summary>(B, T+1) true total energy of every state.</summary>
    public static double[] TrueEnergy(IDynamics system, float[] states, int b, int frames)
    {
        int s = system.StateSize;
        var energy = new double[(long)b * frames];
        Span<double> state = stackalloc double[s];
        for (long i = 0; i < energy.Length; i++)
        {
            for (int c = 0; c < s; c++) state[c] = states[i * s + c];
            energy[i] = system.Energy(state).Total;
        }
        return energy;
    }

    /// <summary>Mean over trajectories of |E_T − E_0| / |E_0| (E_0 = 0 divides by 1).</summary>
    public static double MeanRelativeDrift(double[] energy, int b, int frames)
    {
        double sum = 0;
        for (int i = 0; i < b; i++)
        {
            double e0 = energy[(long)i * frames], eT = energy[(long)i * frames + frames - 1];
            sum += Math.Abs(eT - e0) / (Math.Abs(e0) > 1e-12 ? Math.Abs(e0) : 1.0);
        }
        return sum / b;
    }

    /// <summary>Mean over trajectories of E_T / E_0: the fraction of the initial energy left at the end.</summary>
    public static double MeanFinalEnergyRatio(double[] energy, int b, int frames)
    {
        double sum = 0;
        for (int i = 0; i < b; i++) sum += energy[(long)i * frames + frames - 1] / energy[(long)i * frames];
        return sum / b;
    }

    /// <summary>Mean squared state error over trajectories and coordinates at each of the first <paramref name="frames"/> frames.</summary>
    public static double[] MsePerFrame(float[] learned, float[] truth, int b, int frames, int s)
    {
        var mse = new double[frames];
        for (int k = 0; k < frames; k++)
        {
            double sum = 0;
            for (int i = 0; i < b; i++)
                for (int c = 0; c < s; c++)
                {
                    long at = ((long)i * frames + k) * s + c;
                    double e = learned[at] - truth[at];
                    sum += e * e;
                }
            mse[k] = sum / (b * s);
        }
        return mse;
    }

    /// <summary>The reference physics (RK4 in double, <paramref name="substeps"/> per sample) from the same initial states: (B, T+1, S) float32.</summary>
    public static float[] TrueRollout(Func<int, IDynamics> systemOf, float[] initial, int s, double dt, int steps, int substeps = 1)
    {
        int b = initial.Length / s;
        var result = new float[(long)b * (steps + 1) * s];
        Parallel.For(0, b, i =>
        {
            var system = systemOf(i);
            var state = new double[s];
            for (int c = 0; c < s; c++) state[c] = initial[i * s + c];
            for (int k = 0; ; k++)
            {
                for (int c = 0; c < s; c++) result[((long)i * (steps + 1) + k) * s + c] = (float)state[c];
                if (k == steps) break;
                for (int j = 0; j < substeps; j++) Integrators.Rk4(system, state, (k + (double)j / substeps) * dt, dt / substeps);
            }
        });
        return result;
    }
}
