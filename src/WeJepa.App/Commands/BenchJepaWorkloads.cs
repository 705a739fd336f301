using WeJepa.Core.Rng;
using WeJepa.Learning;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.App.Commands;

/// <summary>
/// The training steps of <c>wejepa bench jepa</c>, the same as tools/reference/torch_jepa_bench.py's of the same name:
/// the seed's default V-JEPA (B 64, 3×64×64, patch 8, D 384, depth 6, heads 6, predictor hidden 192, ReLU, dropout 0)
/// and I-JEPA at that encoder size (predictor D 192, depth 3), each forward, backward, AdamW (and the EMA teacher).
/// </summary>
public static class BenchJepaWorkloads
{
    public const int Batch = 64, Image = 64, Patch = 8, Dim = 384, Depth = 6, Heads = 6, VjepaHidden = 192, PredictorDim = 192, PredictorDepth = 3;
    const double Lr = 1e-3, WeightDecay = 0.1, Momentum = 0.996;

    public static BenchEngineWorkload Vjepa(Device device)
    {
        var model = new Vjepa(3, Image, Patch, Dim, Depth, Heads, VjepaHidden);
        var parameters = ParameterStore.Create(device, model.Parameters, seed: 1);
        var target = ParameterStore.Create(device, model.TargetParameters, seed: 2);
        var adamW = new AdamW(parameters);
        var rng = new SplitMix64(3);
        var masks = new MaskingStrategy(model.Grid.Count, maskRatio: 0.75, blockSize: 4).ContextAndTarget(Batch, ref rng);
        var images = Images(device);
        var tape = new Tape(device);
        return new("vjepa", () =>
        {
            tape.Step(() =>
            {
                parameters.ZeroGrad();
                Autograd.Backward(model.Loss(parameters, target, images, masks));
            });
            adamW.Step(Lr, WeightDecay);
        }, images, adamW, target, parameters);
    }

    /// <summary>I-JEPA's step on multi-block masks (ijepa's defaults: 4 targets of scale 0.15–0.2, a context of 0.85–1).</summary>
    public static BenchEngineWorkload Ijepa(Device device, out BlockMasks masks)
    {
        var model = new Ijepa(prefix => VisionTransformer.WithPatches(3, Image, Patch, Dim, Depth, Heads, PositionEmbedding.SinCos, prefix),
            PredictorDim, PredictorDepth, Heads);
        var encoder = ParameterStore.Create(device, model.Encoder.Parameters, seed: 1);
        var predictor = ParameterStore.Create(device, model.Predictor.Parameters, seed: 2);
        var teacher = ParameterStore.Mirror(encoder);
        var adamW = new AdamW([encoder, predictor]);
        var rng = new SplitMix64(7);
        var drawn = masks = new MultiBlockMasking(model.Encoder.Grid).Sample(Batch, ref rng);
        var context = new TokenIndex(Batch, drawn.ContextCount, drawn.Context, drawn.Tokens);
        var targets = TokenIndex.Blocks(Batch, drawn.TargetBlocks, drawn.TargetCount, drawn.Targets, drawn.Tokens);
        var images = Images(device);
        var tape = new Tape(device);
        return new("ijepa", () =>
        {
            tape.Step(() =>
            {
                encoder.ZeroGrad();
                predictor.ZeroGrad();
                Autograd.Backward(model.Loss(encoder, predictor, teacher, images, context, targets));
            });
            adamW.Step(Lr, WeightDecay);
            Learning.Models.Jepa.Ijepa.UpdateTeacher(encoder, teacher, Momentum);
        }, images, adamW, teacher, predictor, encoder);
    }

    static Tensor Images(Device device)
    {
        var random = new System.Random(4);
        var values = new float[Batch * 3 * Image * Image];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        return Tensor.FromArray(device, values, Batch, 3, Image, Image);
    }
}
