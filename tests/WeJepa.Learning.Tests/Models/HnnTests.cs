using WeJepa.Learning.Models;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

/// <summary>HNN against PyTorch's double backward (tolerances: float32 vs a float64 reference).</summary>
public class HnnTests(DeviceSpec spec) : DeviceTest(spec)
{
    readonly ModelParity parity = new("hnn");

    Hnn LoadedModel()
    {
        var hnn = new Hnn(Device);
        parity.LoadWeights(hnn.Parameters, Hnn.J);
        return hnn;
    }

    [Test]
    public void LossAndEveryGradientMatchPyTorch()
    {
        using var hnn = LoadedModel();
        var (x, dxdt) = (parity.Batch(Device, "x"), parity.Batch(Device, "dxdt"));
        parity.CheckLossAndGradients(hnn.Parameters, () => hnn.Loss(x, dxdt), lossRtol: 1e-5, gradAtol: 1e-5, gradRtol: 1e-3);
        Assert.That(hnn.Parameters.GetGrad("net.4.bias"), Is.All.EqualTo(0f), "F₂'s bias cannot affect ∇F₂");
    }

    [Test]
    public void TenAdamWStepsMatchPyTorch()
    {
        using var hnn = LoadedModel();
        var (x, dxdt) = (parity.Batch(Device, "x"), parity.Batch(Device, "dxdt"));
        parity.CheckAdamWSteps(hnn.Parameters, () => hnn.Loss(x, dxdt), rtol: 1e-4);
    }

    [Test]
    public void TheOnlyLeavesThatNeedGradientsAreTheParameters()
    {
        // The state x is differentiated by, not trained: a backward must not allocate a gradient for it
        // (it would leak one buffer per training step).
        using var hnn = LoadedModel();
        var (x, dxdt) = (parity.Batch(Device, "x"), parity.Batch(Device, "dxdt"));
        var parameters = hnn.Parameters.Layout.Entries.Select(e => hnn.Parameters[e.Name]).ToHashSet(ReferenceEqualityComparer.Instance);
        var leaves = new List<Tensor>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>([hnn.Loss(x, dxdt)]);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (!seen.Add(t)) continue;
            if (t.GradFn is { } node) foreach (var input in node.Inputs) stack.Push(input);
            else if (t.RequiresGrad) leaves.Add(t);
        }
        Assert.That(leaves, Is.Not.Empty);
        Assert.That(leaves.Where(l => !parameters.Contains(l)), Is.Empty, "leaves requiring a gradient that are not parameters");
    }
}
