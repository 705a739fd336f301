using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>
/// I-JEPA against make_jepa_fixtures.py (ijepa's modules; 32×32, patch 8, D 64, depth 2, heads 4, predictor Dp 32
/// depth 2; 2 target blocks of 2×2, 6 context tokens), and video JEPA (clips of 4 frames, tubelet 2×8×8, 3-D sin-cos;
/// 2 tubes of 2×2×2, 12 context tokens of 32). Tolerances (float32 against float64): loss rtol 1e-5;
/// gradients atol 1e-4·max|g| + rtol 1e-3; attention atol 1e-5; 10 AdamW + EMA steps rtol 1e-4.
/// </summary>
public class IjepaTests(DeviceSpec spec) : DeviceTest(spec)
{
    static Ijepa Model(string model) => new(prefix => model == "ijepa"
        ? VisionTransformer.WithPatches(3, 32, 8, 64, 2, 4, PositionEmbedding.SinCos, prefix)
        : VisionTransformer.WithTubelets(4, 3, 32, 2, 8, 64, 2, 4, PositionEmbedding.SinCos, prefix), 32, 2, 4);

    static string Input(string model) => model == "ijepa" ? "images" : "clips";

    (ParameterStore Encoder, ParameterStore Predictor, ParameterStore Teacher) Stores(MultiStoreParity parity, Ijepa m) =>
        (parity.Load(Device, m.Encoder.Parameters, m.Encoder.Constants),
         parity.Load(Device, m.Predictor.Parameters, m.Predictor.Constants),
         parity.Load(Device, m.Encoder.Parameters, m.Encoder.Constants, Ijepa.TeacherName));

    [TestCase("ijepa")]
    [TestCase("videojepa")]
    public void LossEveryGradientAndAttentionMatchPyTorch(string model)
    {
        var (parity, m) = (new MultiStoreParity(model), Model(model));
        var (e, p, t) = Stores(parity, m);
        using (e) using (p) using (t)
        {
            var images = parity.Batch(Device, Input(model));
            var (context, targets) = parity.Masks(m.Encoder.Tokens);
            (m.Encoder.RecordAttention, m.Predictor.RecordAttention) = (true, true);
            parity.CheckLossAndGradients([e, p], () => m.Loss(e, p, t, images, context, targets), 1e-5, 1e-4, 1e-3);
            for (int i = 0; i < 2; i++)
            {
                Check.Close(m.Encoder.LastAttention[i], parity.Expected($"attention.encoder.blocks.{i}"), 1e-5, 0, $"encoder attention {i}");
                Check.Close(m.TeacherAttention[i], parity.Expected($"attention.target_encoder.blocks.{i}"), 1e-5, 0, $"teacher attention {i}");
                Check.Close(m.Predictor.LastAttention[i], parity.Expected($"attention.predictor.predictor_blocks.{i}"), 1e-5, 0, $"predictor attention {i}");
            }
            foreach (var entry in t.Layout.Entries)
                Assert.That(parity.Expected(Ijepa.TeacherName(entry.Name)), Has.All.EqualTo(0.0), $"PyTorch's teacher gets no gradient: {entry.Name}");
        }
    }

    [TestCase("ijepa")]
    [TestCase("videojepa")]
    public void TenAdamWAndEmaStepsMatchPyTorch(string model)
    {
        var (parity, m) = (new MultiStoreParity(model), Model(model));
        var (e, p, t) = Stores(parity, m);
        using (e) using (p) using (t)
        {
            var images = parity.Batch(Device, Input(model));
            var (context, targets) = parity.Masks(m.Encoder.Tokens);
            parity.CheckAdamWSteps([e, p], () => m.Loss(e, p, t, images, context, targets), () => Ijepa.UpdateTeacher(e, t, 0.996), 1e-4);
        }
    }
}
