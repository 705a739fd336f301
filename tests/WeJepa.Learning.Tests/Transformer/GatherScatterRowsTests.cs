using WeJepa.Learning.Tests.References;
using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;
using O = WeJepa.Learning.Ops;

namespace WeJepa.Learning.Tests.Transformer;

public class GatherScatterRowsTests(DeviceSpec spec) : DeviceTest(spec)
{
    const int B = 3, N = 7, K = 5, D = 11;
    // batch 1 repeats row 4 (its gradients must add up), batch 2 takes the last row
    static readonly int[] Index = [0, 2, 4, 6, 1, 4, 4, 0, 3, 4, 6, 5, 1, 2, 3];

    Tensor IndexTensor() => Tensor.FromArray(Device, Index, B, K);

    Tensor Int32(string file, string name) =>
        Tensor.FromArray(Device, Fixtures.Load(file).Get(file, name).ToInt64().Select(v => checked((int)v)).ToArray(), Fixtures.Shape(file, name));

    [Test]
    public void GatherAndItsBackwardMatchReference()
    {
        var x = Rand.Floats(B * N * D, -1, 1, 1);
        var g = Rand.Floats(B * K * D, -1, 1, 2);
        var xt = Leaf(x, B, N, D);
        var y = O.GatherRows(xt, IndexTensor());
        Check.Close(y, GatherRowsReference.Forward(x, Index, B, N, K, D), 0, 0, "gather_rows forward");
        Check.Close(Autograd.Grad(y, xt, T(g, B, K, D)), GatherRowsReference.Backward(g, Index, B, N, K, D), 1e-6, 1e-6, "gather_rows backward");
    }

    [Test]
    public void ScatterAndItsBackwardMatchReference()
    {
        var s = Rand.Floats(B * K * D, -1, 1, 3);
        var g = Rand.Floats(B * N * D, -1, 1, 4);
        var st = Leaf(s, B, K, D);
        var y = O.ScatterRows(st, IndexTensor(), N);
        Check.Close(y, ScatterRowsReference.Forward(s, Index, B, N, K, D), 1e-6, 1e-6, "scatter_rows forward");
        Check.Close(Autograd.Grad(y, st, T(g, B, N, D)), ScatterRowsReference.Backward(g, Index, B, N, K, D), 0, 0, "scatter_rows backward");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        GradCheck.Check(i => GatherRowsReference.Forward(i[0], Index, B, N, K, D), (i, g) => [GatherRowsReference.Backward(g, Index, B, N, K, D)],
            [Rand.Uniform(B * N * D, -1, 1, 5)], "gather_rows");
        GradCheck.Check(i => ScatterRowsReference.Forward(i[0], Index, B, N, K, D), (i, g) => [ScatterRowsReference.Backward(g, Index, B, N, K, D)],
            [Rand.Uniform(B * K * D, -1, 1, 6)], "scatter_rows");
    }

    [Test]
    public void MatchesPyTorchGather()
    {
        var x = Load(Device, "gather.x", true);
        var indices = Tensor.FromArray(Device, Values("gather.idx").Select(v => (int)v).ToArray(), Shape("gather.idx"));
        var y = O.GatherRows(x, indices);
        Check.Close(y, Values("gather.y"), 0, 0, "gather_rows vs PyTorch");
        Check.Close(Autograd.Grad(y, x, Load(Device, "gather.dy")), Values("gather.dx"), 1e-6, 1e-6, "gather_rows dx vs PyTorch");
    }

    [Test]
    public void MatchesPyTorchScatter()
    {
        // PyTorch's gather backward is the scatter-add: scatter(dy) = its dx, and scatter's own backward gathers x
        var dy = Load(Device, "gather.dy", true);
        var indices = Tensor.FromArray(Device, Values("gather.idx").Select(v => (int)v).ToArray(), Shape("gather.idx"));
        var y = O.ScatterRows(dy, indices, Shape("gather.x")[1]);
        Check.Close(y, Values("gather.dx"), 1e-6, 1e-6, "scatter_rows vs PyTorch");
        Check.Close(Autograd.Grad(y, dy, Load(Device, "gather.x")), Values("gather.y"), 0, 0, "scatter_rows backward vs PyTorch");
    }

    /// <summary>
    /// L = Σ g·tanh(op(x)); dL/dx with createGraph, then d⟨dL/dx, u⟩/dx: the second backward runs through the op's
    /// backward (a scatter for gather, a gather for scatter), against PyTorch's double backward (make_op_fixtures.py).
    /// </summary>
    [TestCase("gather_rows")]
    [TestCase("scatter_rows")]
    public void SecondOrderMatchesPyTorch(string op)
    {
        const string file = "ops.safetensors";
        double[] V(string name) => Fixtures.Values(file, $"{op}.{name}");
        Tensor F(string name, bool grad = false)
        {
            var t = Tensor.FromArray(Device, V(name).Select(v => (float)v).ToArray(), Fixtures.Shape(file, $"{op}.{name}"));
            t.RequiresGrad = grad;
            return t;
        }
        var x = F("x", grad: true);
        var idx = Int32(file, $"{op}.idx");
        int rows = Fixtures.Shape(file, $"{op}.y")[1];
        Tensor Apply(Tensor t) => op == "gather_rows" ? O.GatherRows(t, idx) : O.ScatterRows(t, idx, rows);
        var y = Apply(x);
        Check.Close(y, V("y"), 1e-6, 1e-6, $"{op} forward vs PyTorch");
        Check.Close(Autograd.Grad(y, x, F("g")), V("dx"), 1e-6, 1e-6, $"{op} backward vs PyTorch");
        var dx = Autograd.Grad([O.Sum(O.Mul(F("g"), O.Tanh(Apply(x))))], [x], createGraph: true)[0]!;
        Check.Close(dx, V("dx_tanh"), 1e-6, 1e-5, $"{op}: dL/dx with createGraph vs PyTorch");
        var ddx = Autograd.Grad(O.Sum(O.Mul(dx, F("u"))), x);
        Check.Close(ddx, V("ddx"), 1e-6, 1e-5, $"{op}: d<dL/dx, u>/dx vs PyTorch's double backward");
    }

    [Test]
    public void SecondOrderMatchesFiniteDifferencesOfTheReference()
    {
        // h(x) = Σ u·scatter(g·tanh'(gather(x))) = ⟨dL/dx, u⟩ for L = Σ g·tanh(gather(x)), by the double references
        var x = Rand.Uniform(B * N * D, -1, 1, 7);
        var g = Rand.Uniform(B * K * D, -1, 1, 8);
        var u = Rand.Uniform(B * N * D, -1, 1, 9);
        double H(double[] at)
        {
            var y = GatherRowsReference.Forward(at, Index, B, N, K, D);
            var dy = y.Select((v, i) => g[i] * (1 - Math.Tanh(v) * Math.Tanh(v))).ToArray();
            return GatherRowsReference.Backward(dy, Index, B, N, K, D).Zip(u, (a, b) => a * b).Sum();
        }
        var xt = Leaf(x, B, N, D);
        var dx = Autograd.Grad([O.Sum(O.Mul(T(g, B, K, D), O.Tanh(O.GatherRows(xt, IndexTensor()))))], [xt], createGraph: true)[0]!;
        var ddx = Autograd.Grad(O.Sum(O.Mul(dx, T(u, B, N, D))), xt);
        var fd = new double[x.Length];
        const double h = 1e-6;
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + h; double plus = H(x);
            x[i] = saved - h; double minus = H(x);
            x[i] = saved;
            fd[i] = (plus - minus) / (2 * h);
        }
        Check.Close(ddx, fd, 1e-5, 1e-4, "gather_rows second order vs central differences");
    }

    [TestCase(7, "= 7")]
    [TestCase(-1, "= -1")]
    public void BadIndicesAreFoundOnTheDevice(int bad, string shown)
    {
        var idx = Tensor.FromArray(Device, [0, 1, bad], 1, 3);
        // the host path throws in the op; the kernels record it and the next sync point throws
        var e = Assert.Throws<RowIndexError>(() => { O.GatherRows(Tensor.Zeros(Device, 1, 7, 2), idx); Device.Synchronize(); });
        Assert.That(e!.Message, Does.Contain("gather_rows").And.Contain($"index [0, 2] {shown}").And.Contain("[0, 7)"));
        e = Assert.Throws<RowIndexError>(() => { O.ScatterRows(Tensor.Zeros(Device, 1, 3, 2), idx, 7); Device.Synchronize(); });
        Assert.That(e!.Message, Does.Contain("scatter_rows").And.Contain($"index [0, 2] {shown}"));
        // reported once: the device is clean afterwards
        Assert.DoesNotThrow(() => { O.GatherRows(Tensor.Zeros(Device, 1, 7, 2), IndexRow(0, 6)); Device.Synchronize(); });
    }

    Tensor IndexRow(params int[] values) => Tensor.FromArray(Device, values, 1, values.Length);

    [Test]
    public void FloatIndicesAreRejectedNamingTheDtype()
    {
        var e = Assert.Throws<ShapeError>(() => O.GatherRows(Tensor.Zeros(Device, 1, 7, 2), T([0, 1], 1, 2)));
        Assert.That(e!.Message, Does.Contain("gather_rows").And.Contain("int32").And.Contain("float32"));
    }
}
