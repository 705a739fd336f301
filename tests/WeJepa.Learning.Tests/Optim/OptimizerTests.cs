using WeJepa.Learning.Tests.References;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Optim;

/// <summary>AdamW, SGD, clipping and EMA (host SIMD path, ILGPU kernels, CUDA) against their double-precision references.</summary>
public class OptimizerTests(DeviceSpec spec) : DeviceTest(spec)
{
    // Lengths that are not multiples of the SIMD width put the decay boundary inside a vector.
    static readonly ParameterSpec[] Specs =
    [
        ParameterSpec.Of("w", [3, 7], Initializer.LinearWeight),
        ParameterSpec.Of("b", [5], Initializer.LinearBias(7)),
        ParameterSpec.Of("conv", [2, 3, 2, 2], Initializer.LinearWeight),
        ParameterSpec.Of("norm.weight", [6], Initializer.Ones),
    ];

    ParameterStore Store(ulong seed) => ParameterStore.Create(Device, Specs, seed);

    static double[] D(float[] x) => x.Select(v => (double)v).ToArray();

    void SetGrads(ParameterStore p, double[] grads) => p.Grads.CopyFrom(grads.Select(v => (float)v).ToArray());


    [Test]
    public void DecayCoversExactlyTheMatrices()
    {
        using var p = Store(1);
        Assert.That(p.Layout.DecayedLength, Is.EqualTo(21 + 24));
        Assert.That(p.DecayMask.ToUInt8Array().Select(b => (int)b).Sum(), Is.EqualTo(21 + 24));
        Assert.That(p.Layout.Runs.Where(r => r.Decay).Select(r => (r.Offset, r.Length)), Is.EqualTo(new[] { (0L, 21L), (26L, 24L) }));
        Assert.That(p["norm.weight"].ToArray(), Is.All.EqualTo(1f));
        Assert.That(p.Grads.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void AdamWMatchesReferenceOverSeveralSteps()
    {
        using var p = Store(2);
        using var adamW = new AdamW(p);
        var param = D(p.ToArray());
        var (m, v) = (new double[param.Length], new double[param.Length]);
        for (int step = 1; step <= 4; step++)
        {
            var g = Rand.Floats(param.Length, -1, 1, seed: step);
            if (step == 3) g[0] = 0; // a zero gradient still decays and moves by momentum
            SetGrads(p, g);
            double lr = 0.01 * step, wd = 0.05;
            adamW.Step(lr, wd);
            AdamWReference.Step(param, g, m, v, step, lr, wd, DecayFlags.Of(p.Layout), adamW.Options);
            Check.Close(p.ToArray(), param, 1e-6, 1e-5, $"AdamW step {step}");
        }
        Assert.That(adamW.StepCount, Is.EqualTo(4));
    }

    [Test]
    public void AdamWSgdAndEmaMatchReferenceOnABufferSplitAcrossThreads()
    {
        // Large enough for the host path to split it into chunks whose boundaries are not SIMD-aligned.
        ParameterSpec[] big = [ParameterSpec.Of("w", [317, 211], Initializer.LinearWeight), ParameterSpec.Of("b", [211], Initializer.LinearBias(211))];
        using var p = ParameterStore.Create(Device, big, 11);
        using var student = ParameterStore.Create(Device, big, 12);
        using var adamW = new AdamW(p);
        using var sgd = new Sgd(p, 0.5);
        var param = D(p.ToArray());
        var (m, v, buf) = (new double[param.Length], new double[param.Length], new double[param.Length]);
        var g = Rand.Floats(param.Length, -1, 1, seed: 99);
        SetGrads(p, g);
        adamW.Step(0.01, 0.1);
        AdamWReference.Step(param, g, m, v, 1, 0.01, 0.1, DecayFlags.Of(p.Layout), adamW.Options);
        Check.Close(p.ToArray(), param, 1e-6, 1e-5, "AdamW");
        sgd.Step(0.01, 0.1);
        SgdReference.Step(param, g, buf, 0.01, 0.1, 0.5, DecayFlags.Of(p.Layout));
        Check.Close(p.ToArray(), param, 1e-6, 1e-5, "SGD");
        var s = D(student.ToArray());
        Ema.Update(p, student, 0.9);
        EmaReference.Update(param, s, 0.9);
        Check.Close(p.ToArray(), param, 1e-6, 1e-5, "EMA");
    }

    [Test]
    public void AdamWLeavesUndecayedParametersAloneWhenGradientIsZero()
    {
        using var p = Store(3);
        using var adamW = new AdamW(p);
        var before = p.ToArray();
        p.ZeroGrad();
        adamW.Step(lr: 0.1, weightDecay: 0.5);
        var after = p.ToArray();
        var decays = p.DecayMask.ToUInt8Array();
        for (int i = 0; i < before.Length; i++)
        {
            float expected = decays[i] != 0 ? before[i] * (1 - 0.1f * 0.5f) : before[i];
            Assert.That(after[i], Is.EqualTo(expected).Within(1e-7), $"element {i}");
        }
    }

    [Test]
    public void SgdMomentumMatchesReference()
    {
        using var p = Store(4);
        using var sgd = new Sgd(p, momentum: 0.9);
        var param = D(p.ToArray());
        var buf = new double[param.Length];
        for (int step = 1; step <= 3; step++)
        {
            var g = Rand.Floats(param.Length, -1, 1, seed: 10 + step);
            SetGrads(p, g);
            sgd.Step(0.05, 0.01);
            SgdReference.Step(param, g, buf, 0.05, 0.01, 0.9, DecayFlags.Of(p.Layout));
            Check.Close(p.ToArray(), param, 1e-6, 1e-5, $"SGD step {step}");
        }
    }

    [Test]
    public void ClippingScalesToMaxNormAndReturnsThePreClipNorm()
    {
        using var p = Store(5);
        var g = Rand.Floats((int)p.Layout.Length, -2, 2, seed: 21);
        SetGrads(p, g);
        var reference = (double[])g.Clone();
        double expectedNorm = GradClipReference.ClipGlobalNorm(reference, 1.5);
        Assert.That(GradClip.ClipGlobalNorm(p, 1.5), Is.EqualTo(expectedNorm).Within(1e-5).Percent);
        Check.Close(p.Grads.ToArray(), reference, 1e-6, 1e-5, "clipped gradients");
        Assert.That(GradClip.GlobalNorm(Device, p.Grads.View), Is.EqualTo(1.5).Within(1e-4).Percent);

        // Below the limit nothing changes.
        SetGrads(p, g);
        GradClip.ClipGlobalNorm(p, 1e6);
        Assert.That(p.Grads.ToArray(), Is.EqualTo(g.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void EmaMovesTeacherTowardStudent()
    {
        using var teacher = Store(6);
        using var student = Store(7);
        var (t, s) = (D(teacher.ToArray()), D(student.ToArray()));
        Ema.Update(teacher, student, 0.996);
        EmaReference.Update(t, s, 0.996);
        Check.Close(teacher.ToArray(), t, 1e-7, 1e-6, "EMA teacher");
        var kept = teacher.ToArray();
        Ema.Update(teacher, student, 1.0);
        Assert.That(teacher.ToArray(), Is.EqualTo(kept), "EMA with m = 1 keeps the teacher");
        Ema.Update(teacher, student, 0.0);
        Assert.That(teacher.ToArray(), Is.EqualTo(student.ToArray()), "EMA with m = 0 copies the student");
    }

    [Test]
    public void EmaRejectsMismatchedLayouts()
    {
        using var teacher = Store(8);
        using var other = ParameterStore.Create(Device, [ParameterSpec.Of("w", [3, 7], Initializer.LinearWeight)], 1);
        Assert.That(() => Ema.Update(teacher, other, 0.9), Throws.ArgumentException.With.Message.Contains("layouts differ"));
    }
}
