using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

/// <summary>add/sub/mul/div with broadcasting: every op over a table of shape pairs.</summary>
public class BinaryTests(DeviceSpec spec) : DeviceTest(spec)
{
    public sealed record Case(string Name, Func<Tensor, Tensor, Tensor> Op,
        Func<double[], int[], double[], int[], (double[], int[])> Forward,
        Func<double[], int[], double[], int[], double[], (double[], double[])> Backward)
    {
        public override string ToString() => Name;
    }

    static readonly Case[] Ops =
    [
        new("add", Learning.Ops.Add, AddReference.Forward, (a, sa, b, sb, g) => AddReference.Backward(g, Shapes.Broadcast("", sa, sb), sa, sb)),
        new("sub", Learning.Ops.Sub, SubReference.Forward, (a, sa, b, sb, g) => SubReference.Backward(g, Shapes.Broadcast("", sa, sb), sa, sb)),
        new("mul", Learning.Ops.Mul, MulReference.Forward, MulReference.Backward),
        new("div", Learning.Ops.Div, DivReference.Forward, DivReference.Backward),
    ];

    static readonly (int[] a, int[] b)[] ShapePairs =
    [
        ([300, 257], [300, 257]), ([300, 257], [257]), ([300, 257], [300, 1]), ([4, 1, 5], [3, 1]),
        ([2, 3, 4, 5], [3, 1, 5]), ([7], []), ([], [6, 2]), ([1, 9], [8, 1]),
    ];

    public static IEnumerable<TestCaseData> Cases() =>
        from op in Ops from pair in ShapePairs
        select new TestCaseData(op, pair.a, pair.b).SetArgDisplayNames(op.Name, Shapes.Format(pair.a), Shapes.Format(pair.b));

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchReference(Case c, int[] sa, int[] sb)
    {
        var a = Rand.Floats(Shapes.Product(sa), -2, 2, 1);
        var b = Rand.Floats(Shapes.Product(sb), 0.5, 2, 2); // positive: safe divisor
        var (at, bt) = (Leaf(a, sa), Leaf(b, sb));
        var y = c.Op(at, bt);
        var (expected, shape) = c.Forward(a, sa, b, sb);
        Assert.That(y.Shape, Is.EqualTo(shape));
        Check.Close(y, expected, 1e-6, 1e-5, $"{c.Name} forward");
        var g = Rand.Floats(expected.Length, -1, 1, 3);
        var grads = Autograd.Grad([y], [at, bt], [T(g, shape)]);
        var (da, db) = c.Backward(a, sa, b, sb, g);
        Check.Close(grads[0]!, da, 1e-4, 1e-5, $"{c.Name} da");
        Check.Close(grads[1]!, db, 1e-4, 1e-5, $"{c.Name} db");
    }

    [TestCaseSource(nameof(Ops))]
    public void ReferenceGradientsMatchFiniteDifferences(Case c)
    {
        int[] sa = [2, 1, 3], sb = [2, 1];
        GradCheck.Check(i => c.Forward(i[0], sa, i[1], sb).Item1,
            (i, g) => { var (da, db) = c.Backward(i[0], sa, i[1], sb, g); return [da, db]; },
            [Rand.Uniform(6, -2, 2, 4), Rand.Uniform(2, 0.5, 2, 5)], c.Name);
    }

    [TestCase("add")]
    [TestCase("sub")]
    [TestCase("mul")]
    [TestCase("div")]
    public void MatchesPyTorch(string name) => TorchParity.Check(Device, name, ["a", "b"], t => Ops.Single(c => c.Name == name).Op(t[0], t[1]));

    [Test]
    public void IncompatibleShapesNameOpAndShapes()
    {
        var e = Assert.Throws<ShapeError>(() => Learning.Ops.Mul(Tensor.Zeros(Device, 3, 4), Tensor.Zeros(Device, 5)));
        Assert.That(e!.Message, Does.Contain("mul").And.Contain("[3, 4]").And.Contain("[5]"));
    }

    [Test]
    public void AddInPlaceAccumulatesAndBumpsVersion()
    {
        var t = T([1, 2, 3], 3);
        int v = t.Version;
        Learning.Ops.AddInPlace(t, T([10, 20, 30], 3), alpha: 0.5f);
        Check.Close(t, [6, 12, 18], 0, 0, "add_");
        Assert.That(t.Version, Is.GreaterThan(v));
    }
}
