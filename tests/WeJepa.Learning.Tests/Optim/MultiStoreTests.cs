using WeJepa.Learning.Tests.References;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Optim;

/// <summary>
/// Teacher/student layouts: one AdamW and one global-norm clip over an encoder store and a predictor store against
/// torch.optim.AdamW + clip_grad_norm_ (tests/fixtures/make_optim_fixtures.py), and the EMA teacher as a mirror.
/// </summary>
public class MultiStoreTests(DeviceSpec spec) : DeviceTest(spec)
{
    const string File = "optim.safetensors";
    const int Steps = 5;
    const double Lr = 1e-2, WeightDecay = 0.05, Clip = 1.0;

    // make_optim_fixtures.py's ENCODER and PREDICTOR, with their per-parameter decay flags
    static ParameterSpec[] EncoderSpecs() =>
    [
        new("patch.weight", [4, 3], Initializer.Zeros, Decay: true),
        new("patch.bias", [4], Initializer.Zeros, Decay: false),
        new("norm.weight", [4], Initializer.Zeros, Decay: false),
        new("blocks.0.weight", [4, 4], Initializer.Zeros, Decay: true),
    ];

    static ParameterSpec[] PredictorSpecs() =>
    [
        new("pred.weight", [3, 4], Initializer.Zeros, Decay: true),
        new("pred.bias", [3], Initializer.Zeros, Decay: false),
        new("mask_token", [1, 1, 4], Initializer.Zeros, Decay: false), // a matrix-shaped parameter that does not decay
    ];

    ParameterStore Load(ParameterSpec[] specs, string name, string prefix)
    {
        var store = new ParameterStore(Device, new ParameterLayout(specs), name);
        foreach (var e in store.Layout.Entries) store.Set(e.Name, Fixtures.Values(File, prefix + e.Name).Select(v => (float)v).ToArray());
        return store;
    }

    [Test]
    public void OneAdamWAndOneClipOverTwoStoresMatchPyTorch()
    {
        using var encoder = Load(EncoderSpecs(), "encoder", "init.");
        using var predictor = Load(PredictorSpecs(), "predictor", "init.");
        using var adamW = new AdamW([encoder, predictor]);
        var norms = new double[Steps];
        for (int k = 0; k < Steps; k++)
        {
            adamW.ZeroGrad();
            foreach (var store in new[] { encoder, predictor })
                foreach (var e in store.Layout.Entries)
                    store[e.Name].Grad!.CopyFrom(Fixtures.Values(File, $"grad{k}.{e.Name}").Select(v => (float)v).ToArray());
            norms[k] = GradClip.ClipGlobalNorm([encoder, predictor], Clip);
            adamW.Step(Lr, WeightDecay);
            foreach (var store in new[] { encoder, predictor })
                foreach (var e in store.Layout.Entries)
                    Check.Close(store.Get(e.Name), Fixtures.Values(File, $"after{k}.{e.Name}"), 1e-6, 1e-5, $"{store.Name} {e.Name} after step {k + 1}");
        }
        Check.Close(norms, Fixtures.Values(File, "norms"), 0, 1e-6, "pre-clip global norms over both stores");
        Assert.That(adamW.StepCount, Is.EqualTo(Steps));
    }

    [Test]
    public void TheClipNormCoversEveryStore()
    {
        using var a = ParameterStore.Create(Device, [ParameterSpec.Of("w", [3, 4], Initializer.LinearWeight)], 1, "a");
        using var b = ParameterStore.Create(Device, [ParameterSpec.Of("v", [5], Initializer.Zeros)], 2, "b");
        a.Grads.Fill(1f); // ‖·‖² = 12
        b.Grads.Fill(2f); // ‖·‖² = 20
        Assert.That(GradClip.ClipGlobalNorm([a, b], 1e9), Is.EqualTo(Math.Sqrt(32)).Within(1e-6));
        GradClip.ClipGlobalNorm([a, b], 2.0);
        Check.Close(a.Grads.ToArray(), Enumerable.Repeat(2.0 / (Math.Sqrt(32) + 1e-6), 12).ToArray(), 1e-6, 1e-5, "a scaled by the joint coefficient");
        Check.Close(b.Grads.ToArray(), Enumerable.Repeat(4.0 / (Math.Sqrt(32) + 1e-6), 5).ToArray(), 1e-6, 1e-5, "b scaled by the joint coefficient");
    }

    [Test]
    public void ATeacherMirrorsItsEncoderAndEmaIsOneLoopOverTheTwoBuffers()
    {
        using var encoder = ParameterStore.Create(Device, EncoderSpecs().Select(s => s with { Init = Initializer.LinearWeight }), 3, "encoder");
        using var teacher = ParameterStore.Mirror(encoder);
        Assert.That(teacher.Layout, Is.SameAs(encoder.Layout), "one layout: element i of one buffer is element i of the other");
        Assert.That(teacher.ToArray(), Is.EqualTo(encoder.ToArray()));
        Assert.That(teacher.Trainable, Is.False);
        Assert.That(teacher["patch.weight"].RequiresGrad, Is.False, "nothing records gradients for the teacher");
        Assert.That(() => new AdamW([encoder, teacher]), Throws.ArgumentException.With.Message.Contains("frozen"));
        Assert.That(() => teacher.Grads, Throws.InvalidOperationException.With.Message.Contains("teacher"));

        // the student moves; the teacher follows by EMA
        encoder.Initialize(4);
        var (t, s) = (teacher.ToArray().Select(v => (double)v).ToArray(), encoder.ToArray().Select(v => (double)v).ToArray());
        Ema.Update(teacher, encoder, 0.9);
        EmaReference.Update(t, s, 0.9);
        Check.Close(teacher.ToArray(), t, 1e-7, 1e-6, "EMA over the mirrored store");
    }

    [Test]
    public void AStoreGivenTwiceOrOnAnotherDeviceIsRejected()
    {
        using var a = ParameterStore.Create(Device, [ParameterSpec.Of("w", [2, 2], Initializer.LinearWeight)], 1, "a");
        Assert.That(() => new AdamW([a, a]), Throws.ArgumentException.With.Message.Contains("twice"));
        Assert.That(() => new AdamW([]), Throws.ArgumentException.With.Message.Contains("no parameter stores"));
    }
}
