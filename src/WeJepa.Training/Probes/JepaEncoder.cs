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
/// the <c>__metadata__</c> keys <c>kind</c>, <c>heads</c>, <c>image_size</c>): I-JEPA's EMA teacher
/// <c>target_encoder.</c> (the encoder its authors evaluate; <c>encoder.</c>, the student, on request), or the seed's
/// V-JEPA context encoder (<c>patch_embed</c> + <c>pos_embed</c> + <c>context_encoder.layers</c>: its target encoder
/// is never trained). The architecture comes from the tensors' shapes (<see cref="JepaArchitecture"/>); with
/// <c>randomInit</c> the same architecture keeps its own initialisation instead of the file's values (the probe's
/// control). <see cref="Features"/> mean-pools the tokens of each image.
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
    public int Heads { get; }
    /// <summary>Tokens per side of the patch grid.</summary>
    public int GridHeight { get; }
    public int GridWidth { get; }
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

    JepaEncoder(JepaKind kind, VisionTransformer? vit, Vjepa? vjepa, ParameterStore store, int imageSize, int heads, string source)
    {
        (Kind, this.vit, this.vjepa, this.store, ImageSize, Heads, Source) = (kind, vit, vjepa, store, imageSize, heads, source);
        Dim = vit?.Dim ?? vjepa!.Dim;
        var grid = vit?.Grid ?? vjepa!.Grid;
        (GridHeight, GridWidth) = (grid.Height, grid.Width);
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
            "video-jepa" => throw new UserError($"{path}: a video JEPA; probing it needs clips, and generate datasets are read as single frames here (probe an ijepa or vjepa model)"),
            _ => throw new UserError($"{path}: __metadata__ \"kind\" = \"{kindText}\" is not ijepa, vjepa or video-jepa"),
        };
        int heads = Int("heads"), imageSize = Int("image_size");
        var architecture = JepaArchitecture.FromFile(kind, file, path);
        if (kind == JepaKind.Vjepa)
        {
            var model = architecture.Vjepa(heads, relu: true);
            var p = ParameterStore.Create(device, model.Parameters, seed, "encoder");
            if (!randomInit) WeightsFile.Load(path, p, null, new WeightsLoadOptions(AllowUnexpected: true));
            return new JepaEncoder(kind, null, model, p, model.Grid.Width * model.Tokenizer.Patch, heads, randomInit ? "random init" : "context_encoder");
        }
        var prefix = student ? Ijepa.EncoderPrefix : Ijepa.TeacherPrefix;
        var grid = architecture.Grid([1, architecture.Channels, imageSize, imageSize], $"{path}: image_size {imageSize}");
        var encoder = architecture.Encoder(heads, grid, prefix);
        var store = ParameterStore.Create(device, encoder.Parameters, seed, "encoder");
        if (!randomInit) WeightsFile.Load(path, store, encoder.Constants, new WeightsLoadOptions(AllowUnexpected: true));
        return new JepaEncoder(kind, encoder, null, store, imageSize, heads, randomInit ? "random init" : prefix.TrimEnd('.'));
    }

    /// <summary>Images (B,3,H,W) → token features (B,N,D) under no-grad (the encoder is frozen).</summary>
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

    /// <summary>Images (B,3,H,W) → pooled features (B·D) on the host: the mean over each image's tokens.</summary>
    public float[] Features(Tensor images) => Ops.Mean(Tokens(images), 1).ToArray();

    public void Dispose() => store.Dispose();
}
