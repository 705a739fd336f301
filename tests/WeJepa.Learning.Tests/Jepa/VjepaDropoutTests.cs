using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>
/// V-JEPA's dropout (PyTorch's three per TransformerEncoderLayer): inverted and seeded; on in training, the identity at
/// p = 0 or in evaluation; the backward masks the gradient at the very elements the forward dropped (finite differences
/// of the loss at a fixed mask, GELU layers so the loss is smooth).
/// </summary>
public class VjepaDropoutTests(DeviceSpec spec) : DeviceTest(spec)
{
    readonly MultiStoreParity parity = new("vjepa");

    ContextTargetMasks Masks()
    {
        var shape = parity.BatchShape("context_mask");
        bool[] Read(string name) => parity.BatchIntegers(name).Select(v => v != 0).ToArray();
        return new ContextTargetMasks(shape[0], shape[1], Read("context_mask"), Read("target_mask"));
    }

    float Loss(Vjepa m, ParameterStore p, ParameterStore t, ulong? seed = null)
    {
        if (seed is { } s) m.Dropout.Reset(s);
        var images = parity.Batch(Device, "images");
        return new Tape(Device).Step(() => m.Loss(p, t, images, Masks()).Item());
    }

    [Test]
    public void MasksAreScaledByOneOverKeepAndDropAboutP()
    {
        var dropout = new Dropout(0.25, seed: 3);
        var y = dropout.Apply(Tensor.Full(Device, 1f, 200_000)).ToArray();
        Assert.That(y.Distinct().Order(), Is.EqualTo(new[] { 0f, 1f / 0.75f }));
        Assert.That(y.Count(v => v == 0) / (double)y.Length, Is.EqualTo(0.25).Within(0.005));
        Assert.That(y.Average(), Is.EqualTo(1.0).Within(0.01), "the expectation is kept");
        var x = Tensor.Full(Device, 1f, 8);
        Assert.That(new Dropout(0, seed: 3).Apply(x), Is.SameAs(x), "p = 0 is the identity");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Dropout(1, 0));
    }

    [Test]
    public void ActiveInTrainingDeterministicForASeedOffInEvaluation()
    {
        static Vjepa Model(double dropout = 0, ulong seed = 0) => new(3, 32, 8, 64, 2, 4, 32, dropout: dropout, dropoutSeed: seed);
        float Fresh(Vjepa m, int steps = 1)
        {
            using var p = parity.Load(Device, m.Parameters, []);
            using var t = parity.Load(Device, m.TargetParameters, []);
            float loss = 0;
            for (int i = 0; i < steps; i++) loss = Loss(m, p, t);
            return loss;
        }
        float reference = Fresh(Model());
        Assert.That(reference, Is.EqualTo(parity.Expected("loss")[0]).Within(1e-3).Percent, "dropout 0 is the parity model");
        var dropped = Model(0.1, 7);
        float first = Fresh(dropped);
        Assert.That(first, Is.Not.EqualTo(reference).Within(1e-2).Percent, "dropout changes the training loss");
        Assert.That(Fresh(Model(0.1, 7)), Is.EqualTo(first), "the same seed draws the same masks");
        Assert.That(Fresh(Model(0.1, 8)), Is.Not.EqualTo(first), "another seed, other masks");
        Assert.That(Fresh(Model(0.1, 7), steps: 2), Is.Not.EqualTo(first), "each step draws fresh masks");
        dropped.Dropout.Training = false;
        Assert.That(Fresh(dropped), Is.EqualTo(reference), "evaluation: no dropout");
    }

    [Test]
    public void GradientsAreMaskedAsTheForwardAtAFixedMask()
    {
        const ulong seed = 11;
        var m = new Vjepa(3, 32, 8, 64, 2, 4, 32, relu: false, dropout: 0.3, dropoutSeed: seed);
        using var p = parity.Load(Device, m.Parameters, []);
        using var t = parity.Load(Device, m.TargetParameters, []);
        var images = parity.Batch(Device, "images");
        p.ZeroGrad();
        m.Dropout.Reset(seed);
        new Tape(Device).Step(() => Autograd.Backward(m.Loss(p, t, images, Masks())));
        var masked = p.GetGrad("context_encoder.layers.1.linear1.weight");
        foreach (var name in new[] { "context_encoder.layers.1.linear1.weight", "context_encoder.layers.0.self_attn.out_proj.weight", "predictor.0.weight" })
        {
            var grad = p.GetGrad(name);
            var values = p.Get(name);
            // the largest gradients: where a wrong mask shows most (the context path only: pos_embed and patch_embed also move the detached targets)
            foreach (int i in Enumerable.Range(0, grad.Length).OrderByDescending(i => Math.Abs(grad[i])).Take(3))
            {
                const float h = 1e-2f;
                float saved = values[i];
                values[i] = saved + h;
                p.Set(name, values);
                float plus = Loss(m, p, t, seed);
                values[i] = saved - h;
                p.Set(name, values);
                float minus = Loss(m, p, t, seed);
                values[i] = saved;
                p.Set(name, values);
                double fd = (plus - minus) / (2.0 * h);
                Assert.That(grad[i], Is.EqualTo(fd).Within(2e-2 * Math.Abs(fd) + 2e-6), $"{name}[{i}]: AD {grad[i]} vs central difference {fd} at a fixed mask");
            }
        }
        // and the masked gradient is not the unmasked one
        m.Dropout.Training = false;
        p.ZeroGrad();
        new Tape(Device).Step(() => Autograd.Backward(m.Loss(p, t, images, Masks())));
        Assert.That(p.GetGrad("context_encoder.layers.1.linear1.weight"), Is.Not.EqualTo(masked));
    }
}
