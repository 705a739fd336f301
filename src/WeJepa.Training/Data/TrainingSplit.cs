using WeJepa.Learning.Parameters;

namespace WeJepa.Training.Data;

/// <summary>
/// Samples (x, dx/dt) flattened from whole trajectories: the first trajectories train, the last
/// <c>testFraction</c> test (a split by trajectory, never by time step). Optional Gaussian noise σ is added
/// once to the states of both splits (the HNN paper's input noise); derivatives stay exact. With
/// <see cref="TimeInput"/> every input row ends with its sample's time k·dt (driven systems): x is
/// (n, <see cref="InputSize"/>) = (q, v, t), dx/dt stays (n, <see cref="StateSize"/>). <see cref="Canonical"/>: the
/// states' second halves are canonical momenta (<see cref="TrajectorySet.Canonical"/>).
/// </summary>
public sealed record TrainingSplit(int StateSize, float[] TrainX, float[] TrainDxdt, float[] TestX, float[] TestDxdt, bool TimeInput = false, bool Canonical = false)
{
    public int InputSize => StateSize + (TimeInput ? 1 : 0);
    public int TrainCount => TrainDxdt.Length / StateSize;
    public int TestCount => TestDxdt.Length / StateSize;

    public static TrainingSplit Of(TrajectorySet set, double testFraction, double noise, ulong seed, bool timeInput = false)
    {
        int test = (int)Math.Floor(set.Trajectories * testFraction);
        if (testFraction > 0 && test == 0 && set.Trajectories > 1) test = 1;
        int train = set.Trajectories - test;
        long perTrajectory = (long)set.Steps * set.StateSize;
        var x = (float[])set.States.Clone();
        if (noise > 0)
        {
            var random = new InitRandom(seed ^ 0x6E6F697365UL); // "noise": its own stream, apart from the weights'
            for (long i = 0; i < x.Length; i++) x[i] += (float)(noise * random.NextGaussian());
        }
        if (timeInput) x = WithTime(x, set.Trajectories, set.Steps, set.StateSize, set.Dt);
        int width = set.StateSize + (timeInput ? 1 : 0);
        long cutX = (long)train * set.Steps * width, cut = train * perTrajectory;
        return new TrainingSplit(set.StateSize, x[..(int)cutX], set.Derivatives[..(int)cut], x[(int)cutX..], set.Derivatives[(int)cut..], timeInput, set.Canonical);
    }

    /// <summary>States (N, T, S) → (N, T, S + 1) with each sample's time k·dt appended.</summary>
    public static float[] WithTime(float[] states, int n, int t, int s, double dt)
    {
        var result = new float[(long)n * t * (s + 1)];
        for (long row = 0; row < (long)n * t; row++)
        {
            Array.Copy(states, row * s, result, row * (s + 1), s);
            result[row * (s + 1) + s] = (float)(row % t * dt);
        }
        return result;
    }
}
