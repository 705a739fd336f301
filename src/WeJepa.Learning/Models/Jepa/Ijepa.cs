using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>What the predictions are compared with the teacher's targets by.</summary>
public enum JepaLoss { SmoothL1, Mse }

/// <summary>
/// I-JEPA (facebookresearch/ijepa src/train.py) on images or, with a tubelet tokenizer, on clips: the student
/// <c>encoder.</c> sees the context tokens; the EMA teacher <c>target_encoder.</c> sees every token, under no-grad, and
/// its LayerNorm-ed (no affine) output at each target block is the target; the <c>predictor.</c> predicts each block from
/// the context; smooth-L1 (ijepa) or MSE. The teacher is the encoder module on a second store with the encoder's layout
/// (an EMA of the encoder alone, <see cref="UpdateTeacher"/>); the optimiser steps encoder and predictor. In a state_dict
/// the teacher's names are the encoder's with <c>target_encoder.</c> for <c>encoder.</c> (<see cref="TeacherName"/>), so
/// ijepa's checkpoints load once their <c>module.</c> prefixes are dropped.
/// </summary>
public sealed class Ijepa
{
    public const string EncoderPrefix = "encoder.", TeacherPrefix = "target_encoder.";

    public VisionTransformer Encoder { get; }
    public IjepaPredictor Predictor { get; }
    public JepaLoss LossKind { get; }

    public Ijepa(Func<string, VisionTransformer> encoder, int predictorDim, int predictorDepth, int predictorHeads, JepaLoss loss = JepaLoss.SmoothL1)
    {
        Encoder = encoder(EncoderPrefix);
        Predictor = new IjepaPredictor(Encoder.Dim, predictorDim, Encoder.Grid, Encoder.Tokenizer.SpaceTime, predictorDepth, predictorHeads, "predictor.");
        LossKind = loss;
    }

    /// <summary>The mean loss of a batch: images (B,C,H,W) or clips, the context index (B,Nc), one (B,Nt) index per target block.</summary>
    public Tensor Loss(ParameterStore encoder, ParameterStore predictor, ParameterStore teacher, Tensor input, TokenIndex context, IReadOnlyList<TokenIndex> targets)
    {
        if (targets.Count == 0) throw new ArgumentException("I-JEPA: at least one target block is needed");
        var grid = Encoder.Tokenizer.Grid(input.Shape);
        if (grid != Encoder.Grid)   // the predictor's table and the mask indices belong to the model's grid
            throw new ShapeError($"I-JEPA: input {Shapes.Format(input.Shape)} gives a {grid.Frames}×{grid.Height}×{grid.Width} token grid, the model has {Encoder.Grid.Frames}×{Encoder.Grid.Height}×{Encoder.Grid.Width}");
        Tensor target;
        using (Autograd.NoGrad(input.Device))
        {
            var h = Encoder.Forward(teacher, input);
            teacherAttention.Clear();
            teacherAttention.AddRange(Encoder.LastAttention);
            var (ones, zeros) = (Tensor.Full(input.Device, 1f, Encoder.Dim), Tensor.Zeros(input.Device, Encoder.Dim));
            h = Ops.LayerNorm(h, ones, zeros, 1e-5f);   // F.layer_norm(h, (D,)): no affine, PyTorch's eps
            target = Ops.Concat(targets.Select(t => Ops.GatherRows(h, t.ToTensor(input.Device))).ToArray(), 0);
        }
        var prediction = Predictor.Forward(predictor, Encoder.Forward(encoder, input, context), context, targets);
        return LossKind == JepaLoss.SmoothL1 ? Ops.SmoothL1Loss(prediction, target) : Ops.MseLoss(prediction, target);
    }

    readonly List<float[]> teacherAttention = [];
    /// <summary>The teacher's attention of the last loss while the encoder records attention (the encoder's own: <c>Encoder.LastAttention</c>).</summary>
    public IReadOnlyList<float[]> TeacherAttention => teacherAttention;

    /// <summary>The state_dict name of the teacher's copy of encoder parameter <paramref name="encoderName"/>.</summary>
    public static string TeacherName(string encoderName) => encoderName.StartsWith(EncoderPrefix, StringComparison.Ordinal)
        ? TeacherPrefix + encoderName[EncoderPrefix.Length..]
        : throw new ArgumentException($"I-JEPA: '{encoderName}' is not an encoder parameter");

    /// <summary>teacher ← m·teacher + (1 − m)·encoder, after each optimiser step.</summary>
    public static void UpdateTeacher(ParameterStore encoder, ParameterStore teacher, double momentum) => Ema.Update(teacher, encoder, momentum);
}
