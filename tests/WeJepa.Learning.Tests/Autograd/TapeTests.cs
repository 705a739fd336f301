using WeJepa.Learning.Tests.Support;
using O = WeJepa.Learning.Ops;

namespace WeJepa.Learning.Tests.AutogradTests;

/// <summary>The tape's contract: accumulation, NoGrad, Detach, version guard, anomaly mode, views, scopes.</summary>
public class TapeTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void BackwardAccumulatesIntoLeafGradAcrossCalls()
    {
        var x = Leaf([1.5, -2], 2);
        for (int i = 0; i < 2; i++) Learning.Autograd.Backward(O.Sum(O.Square(x)));
        Check.Close(x.Grad!, [6, -8], 0, 0, "2·(2x) after two backward passes");
    }

    [Test]
    public void TensorUsedTwiceSumsItsGradients()
    {
        var x = Leaf([0.5, 3], 2);
        var y = O.Add(O.Mul(x, x), x); // x² + x
        Check.Close(Learning.Autograd.Grad(O.Sum(y), x), [2, 7], 0, 0, "2x + 1");
    }

    [Test]
    public void PreassignedGradViewReceivesTheGradient()
    {
        var parameters = T([1, 2, 3, 4, 5], 5);
        var gradients = T([0, 0, 0, 0, 0], 5);
        var w = parameters.SubTensor(1, 2, 1);
        w.RequiresGrad = true;
        w.Grad = gradients.SubTensor(1, 2, 1);
        Learning.Autograd.Backward(O.Sum(O.Mul(w, 3f)));
        Check.Close(gradients, [0, 3, 3, 0, 0], 0, 0, "flat gradient buffer");
    }

    [Test]
    public void NoGradRecordsNothing()
    {
        var x = Leaf([1], 1);
        Tensor y;
        using (Tape.NoGrad()) y = O.Tanh(x);
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.GradFn, Is.Null);
        Assert.That(O.Tanh(x).RequiresGrad, Is.True, "recording resumes after the scope");
    }

    [Test]
    public void DetachCutsTheGraphButSharesMemory()
    {
        var x = Leaf([2], 1);
        var d = O.Square(x).Detach();
        Assert.That(d.RequiresGrad, Is.False);
        var y = O.Mul(O.Add(d, x), 1f);
        Check.Close(Learning.Autograd.Grad(O.Sum(y), x), [1], 0, 0, "only the undetached path");
        var sq = O.Square(x);
        var view = sq.Detach();
        sq.Fill(7);
        Check.Close(view, [7], 0, 0, "detached view sees writes");
    }

    [Test]
    public void OverwritingASavedTensorFailsBackwardNamingTheOp()
    {
        var x = Leaf([0.3, 0.7], 2);
        var y = O.Tanh(x);
        var loss = O.Sum(y);
        y.Fill(0f); // tanh saved y for its backward
        var e = Assert.Throws<InvalidOperationException>(() => Learning.Autograd.Backward(loss));
        Assert.That(e!.Message, Does.Contain("tanh").And.Contain("modified in place"));
    }

    [Test]
    public void AnomalyModeNamesTheFirstOpProducingNonFinite()
    {
        var x = Leaf([1, 0], 2);
        Tape.DetectAnomaly = true;
        {
            var e = Assert.Throws<NonFiniteError>(() => O.Mul(O.Div(T([1, 1], 2), x), 2f));
            Assert.That(e!.Op, Is.EqualTo("div"));
            Assert.That(e.Message, Does.Contain("div").And.Contain("element 1"));
            // finite forward, infinite backward: d(1/x)/dx = −1/x² overflows float32 at x = 1e−30
            var tiny = Leaf([1e-30], 1);
            var loss = O.Sum(O.Div(T([1], 1), tiny));
            var backward = Assert.Throws<NonFiniteError>(() => Learning.Autograd.Backward(loss));
            Assert.That(backward!.Message, Does.Contain("in the backward of 'div'"));
        }
    }

    [Test]
    public void WithoutAnomalyModeNaNPassesSilently()
        => Assert.DoesNotThrow(() => O.Div(T([0], 1), T([0], 1)));

    [Test]
    public void GradOfUnusedInputNeedsAllowUnused()
    {
        var x = Leaf([1], 1); var z = Leaf([1], 1);
        var y = O.Sum(O.Square(x));
        Assert.Throws<InvalidOperationException>(() => Learning.Autograd.Grad([y], [z]));
        Assert.That(Learning.Autograd.Grad([y], [z], allowUnused: true)[0], Is.Null);
    }

    [Test]
    public void NonScalarOutputNeedsASeed()
        => Assert.Throws<ShapeError>(() => Learning.Autograd.Backward(O.Square(Leaf([1, 2], 2))));

    [Test]
    public void GradDoesNotTouchLeafGrads()
    {
        var x = Leaf([1], 1); var w = Leaf([2], 1);
        Learning.Autograd.Grad(O.Sum(O.Mul(x, w)), x);
        Assert.That(w.Grad, Is.Null);
        Assert.That(x.Grad, Is.Null);
    }

    [Test]
    public void SubTensorOutOfRangeIsAShapeError()
        => Assert.That(Assert.Throws<ShapeError>(() => T([1, 2, 3], 3).SubTensor(2, 2))!.Message, Does.Contain("SubTensor"));

    [Test]
    public void StepReleasesItsTensorsAndKeepRescuesOne()
    {
        Tensor inner = null!, kept;
        var tape = new Tape(Device);
        kept = tape.Step(() =>
        {
            inner = T([1], 1);
            return tape.Keep(T([2], 1));
        });
        Assert.Throws<ObjectDisposedException>(() => _ = inner.View);
        Check.Close(kept, [2], 0, 0, "kept tensor survives (owned by the test's step)");
    }
}
