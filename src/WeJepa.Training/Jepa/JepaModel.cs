using System.Globalization;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Rng;
using WeJepa.Learning;
using WeJepa.Learning.Models;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Weights;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Jepa;

/// <summary>One micro-batch's masks on this rank: V-JEPA's context/target pair, or I-JEPA's context index and target blocks.</summary>
public sealed record JepaMasks(ContextTargetMasks? Pair, TokenIndex? Context, IReadOnlyList<TokenIndex> Targets);

/// <summary>
/// The network a <see cref="JepaConfig"/> describes, with its parameter stores and masks:
/// <list type="bullet">
/// <item>ijepa / video-jepa: <see cref="Ijepa"/> with stores <c>encoder.</c> and <c>predictor.</c> (trained) and the EMA
/// teacher <c>target_encoder.</c> (a <see cref="ParameterStore.Mirror"/> of the encoder); multi-block masks;</item>
/// <item>vjepa: the baseline <see cref="Vjepa"/>, one trained store (<c>pos_embed</c>, <c>patch_embed.</c>,
/// <c>context_encoder.</c>, <c>predictor.</c>) and its frozen random <c>target_encoder.</c>; block/random masks.</item>
/// </list>
/// Masks are drawn for the whole (global) micro-batch and cut to this rank's rows, so N ranks of b samples see exactly
/// the masks one rank of N·b would.
/// </summary>
public sealed class JepaModel : IDisposable
{
    readonly Ijepa? ijepa;
    readonly Vjepa? vjepa;
    readonly MultiBlockMasking? blockMasks;
    readonly MaskingStrategy? vjepaMasks;

    public JepaConfig Config { get; }
    /// <summary>The stores the optimizer steps, in a fixed order (checkpoints name them by <see cref="ParameterStore.Name"/>).</summary>
    public IReadOnlyList<ParameterStore> Trained { get; }
    /// <summary>The EMA teacher (ijepa, video-jepa) or the frozen random target encoder (vjepa).</summary>
    public ParameterStore Target { get; }
    public TokenGrid Grid { get; }
    public int Dim => Config.Model.EmbedDim;

    public JepaModel(Device device, JepaConfig config)
    {
        Config = config;
        var (m, k) = (config.Model, config.Mask);
        ulong seed = config.Hardware.Seed;
        if (m.Kind == "vjepa")
        {
            vjepa = new Vjepa(3, m.ImageSize, m.PatchSize, m.EmbedDim, m.Depth, m.Heads, m.PredictorDim);
            Grid = vjepa.Grid;
            vjepaMasks = new MaskingStrategy(Grid.Count, k.MaskRatio, k.BlockSize);
            Trained = [ParameterStore.Create(device, vjepa.Parameters, Seed(seed, 1), "parameters")];
            Target = new ParameterStore(device, new ParameterLayout(vjepa.TargetParameters), "target_encoder", trainable: false);
            Target.Initialize(Seed(seed, 3));
            return;
        }
        ijepa = new Ijepa(prefix => m.Kind == "video-jepa"
                ? VisionTransformer.WithTubelets(m.Frames, 3, m.ImageSize, m.TubeletSize, m.PatchSize, m.EmbedDim, m.Depth, m.Heads, PositionEmbedding.SinCos, prefix)
                : m.Tokenizer == "conv"
                    ? VisionTransformer.WithConvStem(3, m.ImageSize, m.ConvChannels, m.EmbedDim, m.Depth, m.Heads, PositionEmbedding.SinCos, prefix)
                    : VisionTransformer.WithPatches(3, m.ImageSize, m.PatchSize, m.EmbedDim, m.Depth, m.Heads, PositionEmbedding.SinCos, prefix),
            m.PredictorDim, m.PredictorDepth, m.PredictorHeads, m.Loss == "mse" ? JepaLoss.Mse : JepaLoss.SmoothL1);
        Grid = ijepa.Encoder.Grid;
        static Interval Range(double[] r) => new(r[0], r[1]);
        try
        {
            blockMasks = new MultiBlockMasking(Grid, k.TargetBlocks, Range(k.PredMaskScale), Range(k.AspectRatio), Range(k.EncMaskScale),
                k.MinKeep, Range(k.TargetDuration), Range(k.ContextDuration));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw config.Rejected("mask.min_keep", k.MinKeep, e.Message.Split(Environment.NewLine)[0]);
        }
        var encoder = ParameterStore.Create(device, ijepa.Encoder.Parameters, Seed(seed, 1), "encoder");
        Trained = [encoder, ParameterStore.Create(device, ijepa.Predictor.Parameters, Seed(seed, 2), "predictor")];
        Target = ParameterStore.Mirror(encoder, "target_encoder");
    }

    static ulong Seed(ulong seed, ulong purpose) => SplitMix64.Mix(seed * 8 + purpose);

    /// <summary>One micro-batch's masks for <paramref name="batch"/> samples (all ranks), then cut to rows [first, first + count).</summary>
    public JepaMasks DrawMasks(int batch, int first, int count, ref SplitMix64 rng)
    {
        if (vjepaMasks is not null)
        {
            var pair = vjepaMasks.ContextAndTarget(batch, ref rng);
            int n = Grid.Count;
            return new JepaMasks(new ContextTargetMasks(count, n, pair.ContextMasked[(first * n)..((first + count) * n)], pair.Target[(first * n)..((first + count) * n)]), null, []);
        }
        var masks = blockMasks!.Sample(batch, ref rng);
        var (nc, nt, blocks, tokens) = (masks.ContextCount, masks.TargetCount, masks.TargetBlocks, Grid.Count);
        var context = new TokenIndex(count, nc, masks.Context[(first * nc)..((first + count) * nc)], tokens);
        var targets = Enumerable.Range(0, blocks).Select(b => new TokenIndex(count, nt,
            Enumerable.Range(first, count).SelectMany(s => masks.Targets.Skip((s * blocks + b) * nt).Take(nt)).ToArray(), tokens)).ToArray();
        return new JepaMasks(null, context, targets);
    }

    /// <summary>The mean loss of a micro-batch: images (B,3,H,W) or clips (B,T,3,H,W) with masks from <see cref="DrawMasks"/>.</summary>
    public Tensor Loss(Tensor input, JepaMasks masks) => vjepa is not null
        ? vjepa.Loss(Trained[0], Target, input, masks.Pair!)
        : ijepa!.Loss(Trained[0], Trained[1], Target, input, masks.Context!, masks.Targets);

    /// <summary>teacher ← m·teacher + (1 − m)·encoder (ijepa, video-jepa; the vjepa target is never trained).</summary>
    public void UpdateTeacher(double momentum)
    {
        if (ijepa is not null) Ijepa.UpdateTeacher(Trained[0], Target, momentum);
    }

    /// <summary>Collapse signs of the student's and the teacher's features on <paramref name="input"/>, each image's tokens mean-pooled (no graph).</summary>
    public (CollapseDiagnostics Student, CollapseDiagnostics Teacher) Diagnose(Tensor input)
    {
        using var noGrad = Autograd.NoGrad(input.Device);
        CollapseDiagnostics Pooled(Tensor features) => CollapseDiagnostics.Of(Ops.Mean(features, 1));
        return (Pooled(Tokens(input, teacher: false)), Pooled(Tokens(input, teacher: true)));
    }

    /// <summary>
    /// Token features (B, N, D) of images or clips: the teacher's (I-JEPA's evaluation encoder; vjepa: its frozen target)
    /// or the student's (vjepa: the context encoder). No graph when called under <see cref="Autograd.NoGrad"/>.
    /// </summary>
    public Tensor Tokens(Tensor input, bool teacher = true)
    {
        if (ijepa is not null) return ijepa.Encoder.Forward(teacher ? Target : Trained[0], input);
        var p = Trained[0];
        var x = Ops.Add(vjepa!.Tokenizer.Forward(p, input), p["pos_embed"]);
        foreach (var layer in teacher ? vjepa.Target : vjepa.Context) x = layer.Forward(teacher ? Target : p, x, null, out _);
        return x;
    }

    /// <summary>The PyTorch state_dict name of a parameter of <paramref name="store"/>.</summary>
    string FileName(ParameterStore store, string name) => store == Target && ijepa is not null ? Ijepa.TeacherName(name) : name;

    IEnumerable<ParameterStore> Stores => Trained.Append(Target);

    IEnumerable<ConstantBuffer> Constants => ijepa is null ? []
        : ijepa.Encoder.Constants.Concat(ijepa.Predictor.Constants)
            .Concat(ijepa.Encoder.Constants.Select(c => c with { Name = Ijepa.TeacherName(c.Name) }));

    /// <summary>Every tensor under its PyTorch name: the stores' parameters, then the fixed tables (sin-cos positions).</summary>
    public IEnumerable<(string Name, int[] Shape, float[] Values)> StateDict()
    {
        foreach (var store in Stores)
        {
            var values = store.ToArray();
            foreach (var e in store.Layout.Entries)
                yield return (FileName(store, e.Name), e.Shape, values.AsSpan((int)e.Offset, (int)e.Length).ToArray());
        }
        foreach (var c in Constants) yield return (c.Name, c.Shape, c.Values);
    }

    /// <summary>Loads every store from <paramref name="file"/> (a model or checkpoint file), each tensor checked by name, shape and finiteness.</summary>
    public void Load(SafetensorsFile file, string path)
    {
        foreach (var store in Stores)
        {
            var host = new float[store.Layout.Length];
            foreach (var e in store.Layout.Entries)
            {
                var name = FileName(store, e.Name);
                WeightsFile.CheckedFloat32(path, name, file.Get(path, name), e.Shape).CopyTo(host, e.Offset);
            }
            store.Values.CopyFrom(host);
        }
    }

    /// <summary>
    /// The <c>__metadata__</c> of <c>model.safetensors</c>: what a reader needs to rebuild the network before loading it
    /// (kind, heads, predictor_heads, image_size, patch_size, frames, tubelet_size) and the resolved config as JSON.
    /// </summary>
    public Dictionary<string, string> Metadata()
    {
        var m = Config.Model;
        string S(int v) => v.ToString(CultureInfo.InvariantCulture);
        return new()
        {
            ["kind"] = m.Kind,
            ["heads"] = S(m.Heads),
            ["predictor_heads"] = S(m.PredictorHeads),
            ["image_size"] = S(m.ImageSize),
            ["patch_size"] = S(m.PatchSize),
            ["frames"] = S(Config.FramesPerSample),
            ["tubelet_size"] = S(Config.IsVideo ? m.TubeletSize : 1),
            ["embed_dim"] = S(m.EmbedDim),
            ["depth"] = S(m.Depth),
            ["tokenizer"] = m.Tokenizer,
            ["config"] = Config.ToJson(),
        };
    }

    /// <summary>model.safetensors: the state_dict and <see cref="Metadata"/>, atomically.</summary>
    public void SaveModel(string path) =>
        Safetensors.Write(path, StateDict().Select(t => KeyValuePair.Create(t.Name, SafetensorsTensor.FromFloat32(t.Values, t.Shape.Select(d => (long)d).ToArray()))), Metadata());

    /// <summary>Parameters in every store finite (a checkpoint is written only then).</summary>
    public bool Finite() => Stores.All(s => Array.TrueForAll(s.ToArray(), float.IsFinite));

    public long ParameterCount => Trained.Sum(s => s.Layout.Length);

    public void Dispose()
    {
        foreach (var s in Stores) s.Dispose();
    }
}
