using System.Diagnostics;
using WeJepa.Core.Rng;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;
using WeJepa.TestSupport;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>
/// Not a test (Explicit, asserts nothing about time): one I-JEPA training step (forward, backward, AdamW on encoder and
/// predictor, EMA) at the bench size (B 64, 3×64×64, patch 8, D 384, depth 6, heads 6; predictor D 192, depth 3) on the
/// CPU host path, alternating round by round with the same step in PyTorch (tools/reference/torch_ijepa_step.py), and
/// the medians' ratio. Run: dotnet test … --filter IjepaTimingHarness.
/// </summary>
[Explicit("timing harness")]
public class IjepaTimingHarness
{
    [Test]
    public void IjepaTrainingStepAgainstPyTorch()
    {
        const int B = 64, Img = 64, Patch = 8, D = 384, Depth = 6, Heads = 6, Dp = 192, PredDepth = 3, Steps = 3, Rounds = 3;
        var device = TestDevices.Cpu;
        var model = new Ijepa(prefix => VisionTransformer.WithPatches(3, Img, Patch, D, Depth, Heads, PositionEmbedding.SinCos, prefix), Dp, PredDepth, Heads);
        using var encoder = ParameterStore.Create(device, model.Encoder.Parameters, seed: 1);
        using var predictor = ParameterStore.Create(device, model.Predictor.Parameters, seed: 2);
        using var teacher = ParameterStore.Create(device, model.Encoder.Parameters, seed: 1);
        using var adamE = new AdamW(encoder);
        using var adamP = new AdamW(predictor);
        var rng = new SplitMix64(7);
        var masks = new MultiBlockMasking(model.Encoder.Grid).Sample(B, ref rng);
        var context = new TokenIndex(B, masks.ContextCount, masks.Context, model.Encoder.Tokens);
        var targets = Enumerable.Range(0, masks.TargetBlocks).Select(m => new TokenIndex(B, masks.TargetCount,
            Enumerable.Range(0, B).SelectMany(b => masks.Targets.Skip((b * masks.TargetBlocks + m) * masks.TargetCount).Take(masks.TargetCount)).ToArray(),
            model.Encoder.Tokens)).ToArray();
        var images = Tensor.FromArray(device, Rand.Floats(B * 3 * Img * Img, 0, 1, 3).Select(v => (float)v).ToArray(), B, 3, Img, Img);

        var tape = new Tape(device);
        double Step()
        {
            var sw = Stopwatch.StartNew();
            encoder.ZeroGrad();
            predictor.ZeroGrad();
            tape.Step(() => Autograd.Backward(model.Loss(encoder, predictor, teacher, images, context, targets)));
            adamE.Step(1e-3, 0.05);
            adamP.Step(1e-3, 0.05);
            Ijepa.UpdateTeacher(encoder, teacher, 0.996);
            device.Synchronize();
            return sw.Elapsed.TotalMilliseconds;
        }

        Step();
        var ours = new List<double>();
        var torch = new List<double>();
        string script = Repository.File("tools", "reference", "torch_ijepa_step.py");
        for (int r = 0; r < Rounds; r++)
        {
            var round = Enumerable.Range(0, Steps).Select(_ => Step()).Order().ToArray();
            ours.Add(round[Steps / 2]);
            torch.Add(double.Parse(Python.RunFile(script, $"{B}", $"{Img}", $"{Patch}", $"{D}", $"{Depth}", $"{Heads}", $"{Dp}", $"{PredDepth}",
                $"{masks.ContextCount}", $"{masks.TargetBlocks}", $"{masks.TargetCount}", $"{Steps}"), System.Globalization.CultureInfo.InvariantCulture));
        }
        var (o, t) = (Median(ours), Median(torch));
        TestContext.Out.WriteLine($"I-JEPA step (B {B}, N {model.Encoder.Tokens}, context {masks.ContextCount}, {masks.TargetBlocks}×{masks.TargetCount} targets): " +
                                  $"ours {o:F0} ms ({B * 1000 / o:F0} images/s), PyTorch {t:F0} ms ({B * 1000 / t:F0} images/s), ratio {o / t:F2}");
    }

    static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
}
