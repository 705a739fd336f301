using System.Globalization;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Weights;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Probes;

/// <summary>
/// The frozen encoder of a JEPA weights file (<c>model.safetensors</c> as <c>train jepa</c> writes it: PyTorch names and
/// the <c>__metadata__</c> keys <c>kind</c>, <c>heads</c>, <c>image_size</c>, <c>frames</c>): I-JEPA's (and the video JEPA's) EMA teacher
/// <c>target_encoder.</c> (the encoder its authors evaluate; <c>encoder.</c>, the student, on request), or the seed's
/// V-JEPA context encoder (<c>patch_embed</c> + <c>pos_embed</c> + <c>context_encoder.layers</c>: its target encoder
/// is never trained). The architecture comes from the tensors' shapes (<see cref="JepaArchitecture"/>); with
/// <c>randomInit</c> the same architecture keeps its own initialisation instead of the file's values (the probe's
/// control). <see cref="Features"/> mean-pools the tokens of each input, or keeps them all (<see cref="ProbePooling"/>).
/// </summary>
public sealed class JepaEncoder : IDisposable
{
    public const string ModelFile = "model.safetensors";

    readonly VisionTransformer? vit;
    readonly Vjepa? vjepa;
    readonly ParameterStore store;
    readonly List<float[]> attention = [];

    public JepaKind Kind { get; }
    public int Dim { get; }
    public int ImageSize { get; }
    /// <summary>Frames per input: 1 for images, the clip length T for a video JEPA (inputs (B,T,3,H,W)).</summary>
    public int Frames { get; }
    public int Heads { get; }
    /// <summary>Tokens per side of the patch grid.</summary>
    public int GridHeight { get; }
    public int GridWidth { get; }
    /// <summary>Tokens per input: the patch grid times the clip's tubelet slots.</summary>
    public int TokenCount { get; }
    /// <summary>Which encoder's names were loaded (e.g. <c>target_encoder.</c>), for the report.</summary>
    public string Source { get; }

    /// <summary>Per layer, the attention probabilities (B,H,N,N) of the last <see cref="Features"/> call while <see cref="RecordAttention"/> is on.</summary>
    public IReadOnlyList<float[]> LastAttention => vit?.LastAttention ?? attention;
    public bool RecordAttention
    {
        get => vit?.RecordAttention ?? recordVjepa;
        set { if (vit is not null) vit.RecordAttention = value; else recordVjepa = value; }
    }
    bool recordVjepa;

    JepaEncoder(JepaKind kind, VisionTransformer? vit, Vjepa? vjepa, ParameterStore store, int imageSize, int frames, int heads, string source)
    {
        (Kind, this.vit, this.vjepa, this.store, ImageSize, Frames, Heads, Source) = (kind, vit, vjepa, store, imageSize, frames, heads, source);
        Dim = vit?.Dim ?? vjepa!.Dim;
        var grid = vit?.Grid ?? vjepa!.Grid;
        (GridHeight, GridWidth, TokenCount) = (grid.Height, grid.Width, grid.Count);
    }

    /// <summary>A weights file, or the run folder holding <see cref="ModelFile"/>.</summary>
    public static string ResolvePath(string checkpoint) =>
        Directory.Exists(checkpoint) ? Path.Combine(checkpoint, ModelFile) : checkpoint;

    public static JepaEncoder Load(Device device, string checkpoint, bool randomInit, bool student = false, ulong seed = 0)
    {
        var path = ResolvePath(checkpoint);
        if (!File.Exists(path)) throw new UserError($"--checkpoint {checkpoint}: no such file{(Directory.Exists(checkpoint) ? $" ({ModelFile} is missing in the folder)" : "")}");
        var file = Safetensors.Read(path, "JEPA weights file");
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new UserError($"{path}: __metadata__ has no \"{key}\" (a model.safetensors written by train jepa has kind, heads, image_size, …)");
        int Int(string key) => int.TryParse(Meta(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
            : throw new UserError($"{path}: __metadata__ \"{key}\" = \"{Meta(key)}\" is not a positive integer");
        var kindText = Meta("kind");
        var kind = kindText switch
        {
            "ijepa" => JepaKind.Ijepa,
            "vjepa" => JepaKind.Vjepa,
            "video-jepa" => JepaKind.VideoJepa,
            _ => throw new UserError($"{path}: __metadata__ \"kind\" = \"{kindText}\" is not ijepa, vjepa or video-jepa"),
        };
        int heads = Int("heads"), imageSize = Int("image_size"), frames = kind == JepaKind.VideoJepa ? Int("frames") : 1;
        var architecture = JepaArchitecture.FromFile(kind, file, path);
        if (kind == JepaKind.Vjepa)
        {
            var model = architecture.Vjepa(heads, relu: true);
            var p = ParameterStore.Create(device, model.Parameters, seed, "encoder");
            if (!randomInit) WeightsFile.Load(path, p, null, new WeightsLoadOptions(AllowUnexpected: true));
            return new JepaEncoder(kind, null, model, p, model.Grid.Width * model.Tokenizer.Patch, 1, heads, randomInit ? "random init" : "context_encoder");
        }
        var prefix = student ? Ijepa.EncoderPrefix : Ijepa.TeacherPrefix;
        int[] input = frames > 1 ? [1, frames, architecture.Channels, imageSize, imageSize] : [1, architecture.Channels, imageSize, imageSize];
        var grid = architecture.Grid(input, $"{path}: image_size {imageSize}, frames {frames}");
        var encoder = architecture.Encoder(heads, grid, prefix);
        var store = ParameterStore.Create(device, encoder.Parameters, seed, "encoder");
        if (!randomInit) WeightsFile.Load(path, store, encoder.Constants, new WeightsLoadOptions(AllowUnexpected: true));
        return new JepaEncoder(kind, encoder, null, store, imageSize, frames, heads, randomInit ? "random init" : prefix.TrimEnd('.'));
    }

    /// <summary>Images (B,3,H,W) or clips (B,T,3,H,W) → token features (B,N,D) under no-grad (the encoder is frozen).</summary>
    public Tensor Tokens(Tensor images)
    {
        using var noGrad = Autograd.NoGrad(images.Device);
        if (vit is not null) return vit.Forward(store, images);
        attention.Clear();
        var x = Ops.Add(vjepa!.Tokenizer.Forward(store, images), store["pos_embed"]);
        foreach (var layer in vjepa.Context)
        {
            x = layer.Forward(store, x, null, out var probabilities);
            if (recordVjepa) attention.Add(probabilities.ToArray());
        }
        return x;
    }

    /// <summary>Features per input under <paramref name="pooling"/>: their count (<see cref="Dim"/>, or every token's).</summary>
    public int FeatureSize(ProbePooling pooling) => pooling == ProbePooling.Tokens ? TokenCount * Dim : Dim;

    /// <summary>Images or clips → features on the host: the mean over each input's tokens (B·D), or all its tokens in order (B·N·D).</summary>
    public float[] Features(Tensor images, ProbePooling pooling = ProbePooling.Mean) =>
        pooling == ProbePooling.Tokens ? Tokens(images).ToArray() : Ops.Mean(Tokens(images), 1).ToArray();

    public void Dispose() => store.Dispose();
}
