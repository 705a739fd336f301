using WeJepa.Learning.Tests.Support;
using O = WeJepa.Learning.Ops;

namespace WeJepa.Learning.Tests.AutogradTests;

/// <summary>Gradients of gradients (createGraph), as LNN/HNN need them.</summary>
public class SecondOrderTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void SecondDerivativeOfCubeIsExact()
    {
        double[] xs = [0.5, -1.25, 2, 3];
        var x = Leaf(xs, 4);
        var y = O.Sum(O.Mul(O.Mul(x, x), x));
        var dy = Learning.Autograd.Grad(y, x, createGraph: true);
        Check.Close(dy, xs.Select(v => 3 * v * v).ToArray(), 0, 0, "d(x³)/dx = 3x²");
        var d2y = Learning.Autograd.Grad(O.Sum(dy), x);
        Check.Close(d2y, xs.Select(v => 6 * v).ToArray(), 0, 0, "d²(x³)/dx² = 6x");
        var d3y = Learning.Autograd.Grad(O.Sum(Learning.Autograd.Grad(O.Sum(Learning.Autograd.Grad(y, x, createGraph: true)), x, createGraph: true)), x);
        Check.Close(d3y, [6, 6, 6, 6], 0, 0, "third order");
    }

    /// <summary>loss = mean((∂f/∂x)²) for f = sum(Linear(tanh(Linear(x)))): PyTorch double backward (fixture mlp2).</summary>
    [Test]
    public void TanhMlpGradientOfGradientMatchesPyTorch()
    {
        const string f = TorchParity.File;
        Tensor Load(string name, bool grad)
        {
            var t = T(Fixtures.Values(f, $"mlp2.{name}"), Fixtures.Shape(f, $"mlp2.{name}"));
            t.RequiresGrad = grad;
            return t;
        }
        var (x, w1, b1, w2, b2) = (Load("x", true), Load("w1", true), Load("b1", true), Load("w2", true), Load("b2", true));
        var output = O.Sum(O.Linear(O.Tanh(O.Linear(x, w1, b1)), w2, b2));
        var dfdx = Learning.Autograd.Grad(output, x, createGraph: true);
        Check.Close(dfdx, Fixtures.Values(f, "mlp2.dfdx"), 1e-5, 1e-4, "∂f/∂x");
        var loss = O.Mean(O.Square(dfdx));
        Check.Close(loss, Fixtures.Values(f, "mlp2.loss"), 1e-5, 1e-4, "loss");
        Learning.Autograd.Backward(loss);
        foreach (var (name, t) in new[] { ("x", x), ("w1", w1), ("b1", b1), ("w2", w2) })
            Check.Close(t.Grad!, Fixtures.Values(f, $"mlp2.d{name}"), 1e-5, 1e-4, $"d loss / d {name}");
        Assert.That(b2.Grad, Is.Null, "b2 does not reach ∂f/∂x");
    }

    /// <summary>L(q, v) = ½v² + cos q: ∂L/∂q = −sin q, ∂²L/∂v² = 1, ∂²L/∂q∂v = 0, so q̈ = −sin q.</summary>
    [Test]
    public void PendulumLagrangianHessianAndAccelerationAreExact()
    {
        double[] q = [0.3, -1.2, 2.5, 0], v = [1.5, -0.25, 0.75, 2];
        var (qt, vt) = (Leaf(q, 4), Leaf(v, 4));
        var lagrangian = O.Sum(O.Add(O.Mul(O.Square(vt), 0.5f), O.Cos(qt)));
        var grads = Learning.Autograd.Grad([lagrangian], [qt, vt], createGraph: true);
        var (dLdq, dLdv) = (grads[0]!, grads[1]!);
        Check.Close(dLdq, q.Select(a => -Math.Sin((float)a)).ToArray(), 1e-6, 1e-6, "∂L/∂q");
        Check.Close(dLdv, v, 0, 0, "∂L/∂v");
        // rows of the Hessian: ∂(∂L/∂v)/∂(q, v) and ∂(∂L/∂q)/∂(q, v) (elementwise per sample: L is a sum)
        var dv = Learning.Autograd.Grad([O.Sum(dLdv)], [qt, vt], createGraph: true, allowUnused: true);
        var dq = Learning.Autograd.Grad([O.Sum(dLdq)], [qt, vt], allowUnused: true);
        Assert.That(dv[0], Is.Null, "∂²L/∂v∂q = 0 (no path)");
        Check.Close(dv[1]!, [1, 1, 1, 1], 0, 0, "∂²L/∂v²");
        Check.Close(dq[0]!, q.Select(a => -Math.Cos((float)a)).ToArray(), 1e-6, 1e-6, "∂²L/∂q²");
        Assert.That(dq[1], Is.Null, "∂²L/∂q∂v = 0 (no path)");
        // q̈ = (∂²L/∂v²)⁻¹ (∂L/∂q − ∂²L/∂q∂v · v) = −sin q
        var acceleration = O.Div(dLdq, dv[1]!);
        Check.Close(acceleration, q.Select(a => -Math.Sin((float)a)).ToArray(), 1e-6, 1e-6, "q̈");
    }

    /// <summary>H(q, p) = ½p² − cos q: the HNN field (∂H/∂p, −∂H/∂q) = (p, −sin q); its divergence-free Jacobian.</summary>
    [Test]
    public void PendulumHamiltonianFieldIsExact()
    {
        double[] q = [0.3, -1.2, 2.5], p = [1.5, -0.25, 0.75];
        var state = Leaf(q.Zip(p, (a, b) => new[] { a, b }).SelectMany(s => s).ToArray(), 3, 2);
        var qt = O.Slice(state, 1, 0, 1);
        var pt = O.Slice(state, 1, 1, 1);
        var h = O.Sum(O.Sub(O.Mul(O.Square(pt), 0.5f), O.Cos(qt)));
        var dH = Learning.Autograd.Grad(h, state, createGraph: true);
        var field = O.Concat([O.Slice(dH, 1, 1, 1), O.Neg(O.Slice(dH, 1, 0, 1))], 1);
        Check.Close(field, q.Zip(p, (a, b) => new[] { b, -Math.Sin((float)a) }).SelectMany(s => s).ToArray(), 1e-6, 1e-6, "(∂H/∂p, −∂H/∂q)");
        // d(Σ dq/dt)/d(q, p) = (0, 1); d(Σ dp/dt)/d(q, p) = (−cos q, 0)
        var row0 = Learning.Autograd.Grad(O.Sum(O.Slice(field, 1, 0, 1)), state, createGraph: true);
        Check.Close(row0, q.SelectMany(_ => new double[] { 0, 1 }).ToArray(), 0, 0, "∂q̇/∂(q, p)");
        var row1 = Learning.Autograd.Grad(O.Sum(O.Slice(field, 1, 1, 1)), state);
        Check.Close(row1, q.SelectMany(a => new[] { -Math.Cos((float)a), 0 }).ToArray(), 1e-6, 1e-6, "∂ṗ/∂(q, p)");
    }
}
