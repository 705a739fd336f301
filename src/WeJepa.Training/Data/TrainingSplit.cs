using WeJepa.Learning.Parameters;

namespace WeJepa.Training.Data;

/// <summary>
/// Samples (x, dx/dt) flattened from whole trajectories: the first trajectories train, the last
/// <c>testFraction</c> test (a split by trajectory, never by time step). Optional Gaussian noise σ is added
/// once to the states of both splits (the HNN paper's input noise); derivatives stay exact.
/// </summary>
public sealed record TrainingSplit(int StateSize, float[] TrainX, float[] TrainDxdt, float[] TestX, float[] TestDxdt)
{
    public int TrainCount => TrainX.Length / StateSize;
    public int TestCount => TestX.Length / StateSize;

    public static TrainingSplit Of(TrajectorySet set, double testFraction, double noise, ulong seed)
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
        long cut = train * perTrajectory;
        return new TrainingSplit(set.StateSize, x[..(int)cut], set.Derivatives[..(int)cut], x[(int)cut..], set.Derivatives[(int)cut..]);
    }
}
