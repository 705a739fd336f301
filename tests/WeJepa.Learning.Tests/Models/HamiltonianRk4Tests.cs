using WeJepa.Learning.Models;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

/// <summary>
/// The fused rollout path of HNN-family nets against its plain double reference (<see cref="HamiltonianNet.Reference"/>) on
/// every accelerator path, buffers pre-filled with NaN: the field for d = 1, 2, plain and dissipative, with and without a
/// time input, and RK4 steps against an RK4 of the reference field in double.
/// </summary>
public class HamiltonianRk4Tests(DeviceSpec spec) : DeviceTest(spec)
{
    const int Hidden = 32, Batch = 5;

    (HamiltonianNet Net, ParameterStore Store) Net(int degrees, bool dissipative, bool timeInput)
    {
        var mlp = new TanhMlp(2 * degrees + (timeInput ? 1 : 0), Hidden, 2);
        var store = ParameterStore.Create(Device, mlp.Parameters, seed: 11);
        return (new HamiltonianNet(mlp, store, degrees, dissipative), store);
    }

    double[] Reference(HamiltonianNet net, float[] x) => HamiltonianNet.Reference(net.Parameters[net.Net.W0].ToArray(), net.Parameters[net.Net.B0].ToArray(),
        net.Parameters[net.Net.W1].ToArray(), net.Parameters[net.Net.B1].ToArray(), net.Parameters[net.Net.W2].ToArray(), net.Net.Inputs, Hidden,
        net.Degrees, net.Dissipative, x);

    static float[] Inputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 3 - 1.5)).ToArray();
    }

    [TestCase(1, false, false)]
    [TestCase(1, true, false)]
    [TestCase(1, false, true)]
    [TestCase(2, false, false)]
    [TestCase(2, true, true)]
    public void FieldMatchesTheDoubleReference(int degrees, bool dissipative, bool timeInput)
    {
        var (net, store) = Net(degrees, dissipative, timeInput);
        using var _ = store;
        using var rk4 = new HamiltonianRk4(net, Batch);
        var x = Inputs(Batch * net.Net.Inputs, seed: degrees);
        var field = Tensor.Empty(Device, Batch, 2 * degrees);
        rk4.Field(Tensor.FromArray(Device, x, Batch, net.Net.Inputs), field);
        var expected = Reference(net, x);
        var ours = field.ToArray();
        for (int i = 0; i < ours.Length; i++)
            Assert.That(ours[i], Is.EqualTo(expected[i]).Within(1e-5 + 1e-4 * Math.Abs(expected[i])), $"element {i}");
        Assert.That(expected.Max(Math.Abs), Is.GreaterThan(1e-3), "a field that is not trivially zero");
    }

    [TestCase(1, false, false)]
    [TestCase(2, true, true)]
    public void Rk4StepsMatchAnRk4OfTheReferenceField(int degrees, bool dissipative, bool timeInput)
    {
        var (net, store) = Net(degrees, dissipative, timeInput);
        using var _ = store;
        using var rk4 = new HamiltonianRk4(net, Batch);
        int s = 2 * degrees;
        const float dt = 0.1f, t0 = 0.3f;
        var y0 = Inputs(Batch * s, seed: 7);
        var y = Tensor.FromArray(Device, y0, Batch, s);
        var next = Tensor.Empty(Device, Batch, s);
        rk4.Step(y.View, next.View, t0, dt);
        rk4.Step(next.View, y.View, t0 + dt, dt);
        var expected = y0.Select(v => (double)v).ToArray();
        for (int step = 0; step < 2; step++)
        {
            double t = t0 + step * dt;
            double[] F(double[] state, double time) => Reference(net, Enumerable.Range(0, Batch).SelectMany(b =>
                state.Skip(b * s).Take(s).Select(v => (float)v).Concat(timeInput ? [(float)time] : [])).ToArray());
            double[] Plus(double[] a, double[] k, double c) => a.Select((v, i) => v + c * k[i]).ToArray();
            var k1 = F(expected, t);
            var k2 = F(Plus(expected, k1, dt / 2.0), t + dt / 2.0);
            var k3 = F(Plus(expected, k2, dt / 2.0), t + dt / 2.0);
            var k4 = F(Plus(expected, k3, dt), t + dt);
            expected = expected.Select((v, i) => v + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i])).ToArray();
        }
        var ours = y.ToArray();
        for (int i = 0; i < ours.Length; i++)
            Assert.That(ours[i], Is.EqualTo(expected[i]).Within(1e-5 + 1e-5 * Math.Abs(expected[i])), $"element {i}");
        Assert.That(ours.Select((v, i) => Math.Abs(v - y0[i])).Max(), Is.GreaterThan(1e-3), "the states moved");
    }

    [Test]
    public void StatesOfTheWrongSizeAreRefused()
    {
        var (net, store) = Net(1, false, false);
        using var _ = store;
        using var rk4 = new HamiltonianRk4(net, Batch);
        var y = Tensor.Empty(Device, Batch + 1, 2);
        Assert.Throws<ShapeError>(() => rk4.Step(y.View, y.View, 0f, 0.1f));
    }
}
