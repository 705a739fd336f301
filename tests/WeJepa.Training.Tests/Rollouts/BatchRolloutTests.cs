using WeJepa.Learning;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Training.Tests.Rollouts;

/// <summary>
/// Batched rollouts against PyTorch (float64 RK4 / leapfrog of the same weights, autograd.grad per stage) and
/// against themselves one trajectory at a time. Tolerance vs PyTorch: |ours − torch| ≤ 2e-4 + 2e-3·|torch| over
/// 30 steps of dt 0.05 (float32 vs float64; measured errors are ~1e-6).
/// </summary>
public class BatchRolloutTests
{
    static readonly object[] Cases =
    [
        new object[] { "hnn", DynamicsModelKind.Hnn, 1, RolloutIntegrator.Rk4 },
        new object[] { "hnn", DynamicsModelKind.Hnn, 1, RolloutIntegrator.Leapfrog },
        new object[] { "dhnn", DynamicsModelKind.DissipativeHnn, 1, RolloutIntegrator.Rk4 },
        new object[] { "mlp", DynamicsModelKind.Mlp, 1, RolloutIntegrator.Rk4 },
        new object[] { "lnn2", DynamicsModelKind.Lnn, 2, RolloutIntegrator.Rk4 },
    ];

    /// <summary>The implicit midpoint rule on the HNN-family and the baseline (its own checks: no PyTorch peer).</summary>
    static readonly object[] MidpointCases =
    [
        new object[] { "hnn", DynamicsModelKind.Hnn, 1, RolloutIntegrator.Midpoint },
        new object[] { "dhnn", DynamicsModelKind.DissipativeHnn, 1, RolloutIntegrator.Midpoint },
        new object[] { "mlp", DynamicsModelKind.Mlp, 1, RolloutIntegrator.Midpoint },
    ];

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(string name, DynamicsModelKind kind, int degrees, RolloutIntegrator integrator)
    {
        var fixture = new RolloutFixture(name);
        using var model = fixture.Model(kind, degrees);
        var expectedName = integrator == RolloutIntegrator.Rk4 ? "rk4" : "leapfrog";
        var expected = fixture.Values(expectedName);
        int steps = fixture.Shape(expectedName)[1] - 1;
        var ours = BatchRollout.Run(model, fixture.Values("initial"), fixture.Values("dt")[0], steps, integrator);
        Assert.That(ours, Has.Length.EqualTo(expected.Length));
        double worst = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double error = Math.Abs(ours[i] - expected[i]);
            worst = Math.Max(worst, error);
            Assert.That(error, Is.LessThanOrEqualTo(2e-4 + 2e-3 * Math.Abs(expected[i])), $"{name} {expectedName}: element {i}");
        }
        TestContext.Out.WriteLine($"{name} {expectedName}: max |ours − torch| = {worst:e2}");
    }

    /// <summary>
    /// Every trajectory's arithmetic is row-wise, so a batch equals its trajectories rolled out alone, to rounding: the
    /// engine's CPU path may round a row differently with the batch size (OpenBLAS picks other kernels for M = 1 than for
    /// a full tile — on this Zen 5 machine even for the fused HNN path's 4×32×32 products, bit for bit equal on the
    /// machine it was first written on — and host SIMD loops take a scalar tail for the last elements), so they agree
    /// to 1e-6 relative (measured: 1 ulp).
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    [TestCaseSource(nameof(MidpointCases))]
    public void ABatchEqualsItsTrajectoriesOneAtATime(string name, DynamicsModelKind kind, int degrees, RolloutIntegrator integrator)
    {
        var fixture = new RolloutFixture(name);
        using var model = fixture.Model(kind, degrees);
        var initial = fixture.Values("initial");
        int s = 2 * degrees, b = initial.Length / s, steps = 12;
        float dt = fixture.Values("dt")[0];
        var batch = BatchRollout.Run(model, initial, dt, steps, integrator);
        for (int i = 0; i < b; i++)
        {
            var single = BatchRollout.Run(model, initial.AsSpan(i * s, s), dt, steps, integrator);
            var row = batch.AsSpan(i * (steps + 1) * s, (steps + 1) * s).ToArray();
            for (int j = 0; j < row.Length; j++)
                Assert.That(row[j], Is.EqualTo(single[j]).Within(1e-7 + 1e-6 * Math.Abs(single[j])), $"{name}: trajectory {i}, element {j}");
        }
    }

    /// <summary>Every midpoint step solves y' = y + dt·f((y + y')/2): the residual, recomputed here from the rolled-out states, is at float32 rounding.</summary>
    [TestCaseSource(nameof(MidpointCases))]
    public void EachMidpointStepSolvesItsImplicitEquation(string name, DynamicsModelKind kind, int degrees, RolloutIntegrator integrator)
    {
        var fixture = new RolloutFixture(name);
        using var model = fixture.Model(kind, degrees);
        var initial = fixture.Values("initial");
        int s = 2 * degrees, b = initial.Length / s, steps = 10;
        float dt = fixture.Values("dt")[0];
        var states = BatchRollout.Run(model, initial, dt, steps, integrator);
        var (before, after) = (new float[b * steps * s], new float[b * steps * s]);
        for (int i = 0; i < b; i++)
            for (int k = 0; k < steps; k++)
            {
                Array.Copy(states, (i * (steps + 1) + k) * s, before, (i * steps + k) * s, s);
                Array.Copy(states, (i * (steps + 1) + k + 1) * s, after, (i * steps + k) * s, s);
            }
        var device = model.Parameters.Device;
        var midpoints = before.Zip(after, (y, next) => (y + next) / 2).ToArray();
        var field = new Tape(device).Step(() => BatchRollout.Field(model, Tensor.FromArray(device, midpoints, b * steps, s), 0).ToArray());
        double worst = 0, naive = 0;
        for (int j = 0; j < before.Length; j++)
        {
            worst = Math.Max(worst, Math.Abs(after[j] - before[j] - dt * field[j]));
            naive = Math.Max(naive, Math.Abs(after[j] - before[j]));
        }
        TestContext.Out.WriteLine($"{name}: max |y' − y − dt·f((y + y')/2)| = {worst:e2} (step size {naive:e2})");
        Assert.That(worst, Is.LessThan(1e-6 + 1e-5 * naive));
    }

    [Test]
    public void LeapfrogIsRefusedForAModelWithoutAHamiltonian()
    {
        using var model = new RolloutFixture("mlp").Model(DynamicsModelKind.Mlp, 1);
        var e = Assert.Throws<ArgumentException>(() => BatchRollout.Run(model, [0.1f, 0.2f], 0.1, 3, RolloutIntegrator.Leapfrog));
        Assert.That(e!.Message, Does.Contain("leapfrog"));
    }
}
