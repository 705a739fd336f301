using WeJepa.Learning.Models;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;
using R = WeJepa.Learning.TanhMlpInputGradientReference;

namespace WeJepa.Learning.Tests.OpsTests;

public class TanhMlpInputGradientTests(DeviceSpec spec) : DeviceTest(spec)
{
    static readonly string[] Names = ["x", "w0", "b0", "w1", "b1", "w2"];

    /// <summary>Random inputs (x, w0, b0, w1, b1, w2) at weight scales like PyTorch's init.</summary>
    static double[][] Inputs(int rows, int inputs, int hidden, int outputs, int seed) =>
    [
        Rand.Uniform(rows * inputs, -2, 2, seed), Rand.Uniform(hidden * inputs, -0.7, 0.7, seed + 1), Rand.Uniform(hidden, -0.7, 0.7, seed + 2),
        Rand.Uniform(hidden * hidden, -0.5, 0.5, seed + 3), Rand.Uniform(hidden, -0.3, 0.3, seed + 4), Rand.Uniform(outputs * hidden, -0.5, 0.5, seed + 5),
    ];

    [TestCase(37, 2, 16, 2, 1)]   // the host path (H a multiple of the vector width)
    [TestCase(1100, 2, 64, 2, 1)] // several row chunks: the partial sums merge
    [TestCase(9, 4, 13, 3, 0)]    // H not a multiple of the vector width: the kernels, also on the host device
    public void ForwardAndBackwardMatchReference(int rows, int inputs, int hidden, int outputs, int output)
    {
        var v = Inputs(rows, inputs, hidden, outputs, 10);
        var u = Rand.Uniform(rows * inputs, -1, 1, 20);
        int[][] shapes = [[rows, inputs], [hidden, inputs], [hidden], [hidden, hidden], [hidden], [outputs, hidden]];
        var t = v.Select((values, k) => Leaf(values, shapes[k])).ToArray();
        var gx = Learning.Ops.TanhMlpInputGradient(t[0], t[1], t[2], t[3], t[4], t[5], output);
        Check.Close(gx, R.Forward(v[0], v[1], v[2], v[3], v[4], v[5], rows, inputs, hidden, output), 1e-5, 1e-4, "input gradient");
        var grads = Autograd.Grad([gx], t, [T(u, rows, inputs)]);
        var expected = R.Backward(v[0], v[1], v[2], v[3], v[4], v[5], rows, inputs, hidden, output, u);
        for (int k = 0; k < t.Length; k++) Check.Close(grads[k]!, expected[k], 2e-4, 2e-4, $"d/d{Names[k]}");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
        => GradCheck.Check(i => R.Forward(i[0], i[1], i[2], i[3], i[4], i[5], 3, 2, 5, 1),
            (i, g) => R.Backward(i[0], i[1], i[2], i[3], i[4], i[5], 3, 2, 5, 1, g),
            Inputs(3, 2, 5, 2, 30), "tanh_mlp_input_grad", atol: 1e-6, rtol: 1e-5);

    [Test]
    public void ReferenceForwardIsTheInputGradientOfTheNetwork()
    {
        // ∂(Σ_b net(x)[b, 1])/∂x by central differences of the plain forward pass.
        var v = Inputs(4, 2, 6, 2, 40);
        double Net(double[] x)
        {
            double sum = 0;
            for (int b = 0; b < 4; b++)
            {
                var h1 = Enumerable.Range(0, 6).Select(j => Math.Tanh(v[2][j] + x[2 * b] * v[1][2 * j] + x[2 * b + 1] * v[1][2 * j + 1])).ToArray();
                var h2 = Enumerable.Range(0, 6).Select(o => Math.Tanh(v[4][o] + Enumerable.Range(0, 6).Sum(j => h1[j] * v[3][6 * o + j]))).ToArray();
                sum += Enumerable.Range(0, 6).Sum(o => h2[o] * v[5][6 + o]);
            }
            return sum;
        }
        var fd = new double[8];
        for (int i = 0; i < 8; i++)
        {
            var (plus, minus) = ((double[])v[0].Clone(), (double[])v[0].Clone());
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            fd[i] = (Net(plus) - Net(minus)) / 2e-6;
        }
        Check.Close(R.Forward(v[0], v[1], v[2], v[3], v[4], v[5], 4, 2, 6, 1), fd, 1e-7, 1e-6, "reference ∇ₓ vs central differences");
    }

    [Test]
    public void MatchesTheGenericDoubleBackward()
    {
        // The fused op against forward + Autograd.Grad(createGraph) + backward through it, on the same network.
        var net = new TanhMlp(2, 32, 2);
        using var store = ParameterStore.Create(Device, net.Parameters, seed: 3);
        var x = T(Rand.Uniform(2 * 50, -2, 2, 50), 50, 2);
        var u = T(Rand.Uniform(2 * 50, -1, 1, 51), 50, 2);
        var parameters = net.Parameters.Select(p => store[p.Name]).ToArray();
        var fused = Learning.Ops.Mul(net.InputGradient(store, x, 1), u);
        var fusedGrads = Autograd.Grad([Learning.Ops.Sum(fused)], parameters, allowUnused: true);

        var leaf = x.Detach();
        leaf.RequiresGrad = true;
        var y = Learning.Ops.Slice(net.Forward(store, leaf), 1, 1, 1);
        var generic = Autograd.Grad([y], [leaf], [Tensor.Full(Device, 1f, 50, 1)], createGraph: true)[0]!;
        leaf.RequiresGrad = false;
        Check.Close(fused.ToArray(), Learning.Ops.Mul(generic, u).ToArray(), 1e-5, 1e-4, "input gradient, fused vs generic");
        var genericGrads = Autograd.Grad([Learning.Ops.Sum(Learning.Ops.Mul(generic, u))], parameters, allowUnused: true);
        for (int k = 0; k < parameters.Length; k++)
        {
            var expected = genericGrads[k]?.ToArray() ?? new float[parameters[k].Length];
            var actual = fusedGrads[k]?.ToArray() ?? new float[parameters[k].Length];
            Check.Close(actual, expected, 1e-5, 1e-4, $"{parameters[k].Name}, fused vs generic");
        }
    }

    [Test]
    public void CreateGraphThroughTheOpIsRefusedByName()
    {
        var v = Inputs(3, 2, 8, 2, 60);
        int[][] shapes = [[3, 2], [8, 2], [8], [8, 8], [8], [2, 8]];
        var t = v.Select((values, k) => Leaf(values, shapes[k])).ToArray();
        var gx = Learning.Ops.TanhMlpInputGradient(t[0], t[1], t[2], t[3], t[4], t[5], 1);
        var e = Assert.Throws<NotSupportedException>(() => Autograd.Grad([gx], [t[1]], [T(new double[6], 3, 2)], createGraph: true));
        Assert.That(e!.Message, Does.Contain("tanh_mlp_input_grad"));
    }

    [Test]
    public void BadShapesNameTheOpAndTheShapes()
    {
        var x = T(new double[6], 3, 2);
        var (w0, b0, w1, b1, w2) = (T(new double[16], 8, 2), T(new double[8], 8), T(new double[64], 8, 8), T(new double[8], 8), T(new double[16], 2, 8));
        var e = Assert.Throws<ShapeError>(() => Learning.Ops.TanhMlpInputGradient(x, w0, b0, T(new double[56], 7, 8), b1, w2, 1));
        Assert.That(e!.Message, Does.Contain("tanh_mlp_input_grad").And.Contain("[7, 8]"));
        e = Assert.Throws<ShapeError>(() => Learning.Ops.TanhMlpInputGradient(T(new double[9], 3, 3), w0, b0, w1, b1, w2, 1));
        Assert.That(e!.Message, Does.Contain("x [3, 3]"));
        e = Assert.Throws<ShapeError>(() => Learning.Ops.TanhMlpInputGradient(x, w0, b0, w1, b1, w2, 2));
        Assert.That(e!.Message, Does.Contain("output 2"));
    }
}
