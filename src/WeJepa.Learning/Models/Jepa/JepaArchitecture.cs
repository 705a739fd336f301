using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning.Models.Masks;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>The JEPA-family models a weights file can hold, told apart by their state_dict names.</summary>
public enum JepaKind
{
    /// <summary>ijepa's <c>VisionTransformer</c> alone: <c>patch_embed.</c>, optional <c>pos_embed</c>, <c>blocks.{i}.</c>, <c>norm</c>.</summary>
    Vit,
    /// <summary>The seed's V-JEPA: <c>pos_embed</c>, <c>context_encoder.layers.{i}.</c>, <c>target_encoder.layers.{i}.</c>, <c>predictor.0</c>.</summary>
    Vjepa,
    /// <summary>I-JEPA on images: <c>encoder.</c>, <c>predictor.</c>, <c>target_encoder.</c> with a Conv2d patch embedding.</summary>
    Ijepa,
    /// <summary>I-JEPA on clips: as <see cref="Ijepa"/> with a Conv3d tubelet embedding (D, C, t, p, p).</summary>
    VideoJepa,
}

/// <summary>
/// A JEPA model's architecture as its weights imply it (a state_dict's name → shape map): the kind, input channels,
/// width D, depth, patch (and tubelet) size, MLP width, predictor width and depth, and the token count of a
/// <c>pos_embed</c> when the file has one. What the shapes cannot tell — the attention heads, the activation, the image
/// size of a model without a learned table — the caller supplies. A file of another architecture, or with a gap in its
/// layer numbering, is a <see cref="UserError"/> naming the file and what it holds, before any tensor is touched.
/// </summary>
public sealed record JepaArchitecture
{
    public JepaKind Kind { get; }
    public int Channels { get; }
    public int Dim { get; }
    public int Depth { get; }
    /// <summary>Patch side; for a conv-stem ViT 0 (the stem's strides set the grid).</summary>
    public int Patch { get; }
    /// <summary>Frames per tubelet (video JEPA), else 1.</summary>
    public int Tubelet { get; }
    /// <summary>The encoder's feed-forward width (4·D in ijepa and the seed's defaults).</summary>
    public int Hidden { get; }
    /// <summary>I-JEPA: the predictor's width Dp; V-JEPA: the predictor MLP's hidden width; ViT: 0.</summary>
    public int PredictorDim { get; }
    /// <summary>I-JEPA: the predictor's blocks; otherwise 0.</summary>
    public int PredictorDepth { get; }
    /// <summary>The token count of the file's <c>pos_embed</c> (1, N, D), or null when the file has none (a recomputable sin-cos table).</summary>
    public int? Tokens { get; }
    /// <summary>A ViT on a <see cref="ConvStem"/>: its stage widths; otherwise empty.</summary>
    public int[] StemChannels { get; }

    JepaArchitecture(JepaKind kind, int channels, int dim, int depth, int patch, int tubelet, int hidden, int predictorDim,
        int predictorDepth, int? tokens, int[] stemChannels) =>
        (Kind, Channels, Dim, Depth, Patch, Tubelet, Hidden, PredictorDim, PredictorDepth, Tokens, StemChannels) =
        (kind, channels, dim, depth, patch, tubelet, hidden, predictorDim, predictorDepth, tokens, stemChannels);

    /// <summary>Which kind of JEPA model these names belong to, or null when none.</summary>
    public static JepaKind? Recognise(IReadOnlyDictionary<string, int[]> shapes)
    {
        if (shapes.ContainsKey("context_encoder.layers.0.norm1.weight")) return JepaKind.Vjepa;
        if (shapes.TryGetValue("encoder.patch_embed.proj.weight", out var w) && shapes.ContainsKey("predictor.predictor_embed.weight"))
            return w.Length == 5 ? JepaKind.VideoJepa : JepaKind.Ijepa;
        if (shapes.ContainsKey("blocks.0.norm1.weight") && (shapes.ContainsKey("patch_embed.proj.weight") || shapes.ContainsKey("patch_embed.stem.0.conv.weight")))
            return JepaKind.Vit;
        return null;
    }

    /// <summary>The architecture of the <paramref name="kind"/> model a safetensors weights file at <paramref name="path"/> holds.</summary>
    public static JepaArchitecture FromFile(JepaKind kind, SafetensorsFile file, string path) =>
        FromShapes(kind, file.Tensors.ToDictionary(t => t.Key, t => t.Value.ShapeAsInt()), path);

    /// <summary>The architecture of a <paramref name="kind"/> model whose state_dict has these shapes (<paramref name="source"/> names the file in errors).</summary>
    public static JepaArchitecture FromShapes(JepaKind kind, IReadOnlyDictionary<string, int[]> shapes, string source)
    {
        var found = Recognise(shapes);
        if (found != kind)
            throw new UserError(found is { } other
                ? $"{source}: these are {Describe(other)} weights, not {Describe(kind)} ({Signature(other)})"
                : $"{source}: not {Describe(kind)} weights: expected {Signature(kind)}; the file has {Sample(shapes)}");
        var s = new Reader(shapes, source);
        return kind switch
        {
            JepaKind.Vit => Vit(s, ""),
            JepaKind.Vjepa => Vjepa(s),
            _ => Ijepa(s, kind),
        };
    }

    static JepaArchitecture Vit(Reader s, string prefix, JepaKind kind = JepaKind.Vit, int predictorDim = 0, int predictorDepth = 0)
    {
        int channels, dim, patch = 0, tubelet = 1;
        int[] stem = [];
        if (!s.Has(prefix + "patch_embed.stem.0.conv.weight"))
        {
            var w = s.Shape(prefix + "patch_embed.proj.weight", kind == JepaKind.VideoJepa ? 5 : 4);
            (dim, channels, patch) = (w[0], w[1], w[^1]);
            if (w[^2] != patch) throw s.Error(prefix + "patch_embed.proj.weight", "a square patch (kernel height = width)");
            if (kind == JepaKind.VideoJepa) tubelet = w[2];
        }
        else
        {
            int stages = s.Count(i => $"{prefix}patch_embed.stem.{i}.conv.weight");
            stem = Enumerable.Range(0, stages).Select(i => s.Shape($"{prefix}patch_embed.stem.{i}.conv.weight", 4)[0]).ToArray();
            channels = s.Shape($"{prefix}patch_embed.stem.0.conv.weight", 4)[1];
            dim = s.Shape(prefix + "patch_embed.proj.weight", 4)[0];
        }
        int depth = s.Count(i => $"{prefix}blocks.{i}.norm1.weight");
        int hidden = s.Shape(prefix + "blocks.0.mlp.fc1.weight", 2)[0];
        s.Expect(prefix + "blocks.0.norm1.weight", [dim]);
        s.Expect(prefix + "blocks.0.mlp.fc1.weight", [4 * dim, dim], "ijepa's MLP of width 4·D");
        int? tokens = s.Has(prefix + "pos_embed") ? s.Shape(prefix + "pos_embed", 3)[1] : null;
        if (tokens is not null) s.Expect(prefix + "pos_embed", [1, tokens.Value, dim]);
        return new JepaArchitecture(kind, channels, dim, depth, patch, tubelet, hidden, predictorDim, predictorDepth, tokens, stem);
    }

    static JepaArchitecture Ijepa(Reader s, JepaKind kind)
    {
        var embed = s.Shape("predictor.predictor_embed.weight", 2);
        int depth = s.Count(i => $"predictor.predictor_blocks.{i}.norm1.weight");
        var encoder = Vit(s, Jepa.Ijepa.EncoderPrefix, kind, embed[0], depth);
        s.Expect("predictor.predictor_embed.weight", [embed[0], encoder.Dim]);
        s.Expect("predictor.predictor_blocks.0.mlp.fc1.weight", [4 * embed[0], embed[0]], "ijepa's MLP of width 4·Dp");
        if (s.Count(i => $"{Jepa.Ijepa.TeacherPrefix}blocks.{i}.norm1.weight") != encoder.Depth)
            throw new UserError($"{s.Source}: target_encoder has a different depth from encoder ({encoder.Depth} blocks)");
        return encoder;
    }

    static JepaArchitecture Vjepa(Reader s)
    {
        var w = s.Shape("patch_embed.proj.weight", 4);
        int dim = w[0];
        if (w[3] != w[2]) throw s.Error("patch_embed.proj.weight", "a square patch (kernel height = width)");
        int depth = s.Count(i => $"context_encoder.layers.{i}.norm1.weight");
        if (s.Count(i => $"target_encoder.layers.{i}.norm1.weight") != depth)
            throw new UserError($"{s.Source}: target_encoder has a different depth from context_encoder ({depth} layers)");
        int hidden = s.Shape("context_encoder.layers.0.linear1.weight", 2)[0];
        s.Expect("context_encoder.layers.0.linear1.weight", [hidden, dim]);
        int predictor = s.Shape("predictor.0.weight", 2)[0];
        s.Expect("predictor.0.weight", [predictor, dim]);
        int tokens = s.Shape("pos_embed", 3)[1];
        s.Expect("pos_embed", [1, tokens, dim]);
        return new JepaArchitecture(JepaKind.Vjepa, w[1], dim, depth, w[2], 1, hidden, predictor, 0, tokens, []);
    }

    /// <summary>Checks <paramref name="heads"/> divides every attention width of the model (the encoder's D, I-JEPA's Dp).</summary>
    public void CheckHeads(int heads)
    {
        if (heads < 1 || Dim % heads != 0) throw new UserError($"--heads {heads} must be positive and divide the model width D = {Dim}");
        if (Kind is JepaKind.Ijepa or JepaKind.VideoJepa && PredictorDim % heads != 0)
            throw new UserError($"--heads {heads} must divide the predictor width Dp = {PredictorDim}");
    }

    /// <summary>The tokenizer of the encoder (names under <paramref name="prefix"/>).</summary>
    public ITokenizer Tokenizer(string prefix = "") => Kind switch
    {
        JepaKind.VideoJepa => new TubeletTokenizer(Channels, Dim, Tubelet, Patch, prefix + "patch_embed."),
        _ when StemChannels.Length > 0 => new ConvStem(Channels, StemChannels, Dim, prefix + "patch_embed."),
        _ => new PatchTokenizer(Channels, Dim, Patch, prefix + "patch_embed."),
    };

    /// <summary>
    /// The token grid of an input of this shape (images (B,C,H,W), clips (B,T,C,H,W)); a <see cref="UserError"/> naming
    /// <paramref name="what"/> and the shape when it does not fit the tokenizer, or when a fixed table in the file has
    /// another token count (a learned table resizes to the grid instead: <see cref="PositionResize"/>).
    /// </summary>
    public TokenGrid Grid(int[] inputShape, string what)
    {
        TokenGrid grid;
        try { grid = Tokenizer().Grid(inputShape); }
        catch (ArgumentException e) { throw new UserError($"{what}: {e.Message}"); }
        if (Tokens is { } n && n != grid.Count && !LearnedPosition)
            throw new UserError($"{what}: shape ({string.Join(", ", inputShape)}) gives {grid.Count} tokens, the weights' position table has {n}");
        return grid;
    }

    /// <summary>True when the file's <c>pos_embed</c> is trained (the seed's V-JEPA, a ViT that has one); I-JEPA's tables are fixed sin-cos.</summary>
    public bool LearnedPosition => Tokens is not null && Kind is JepaKind.Vit or JepaKind.Vjepa;

    /// <summary>The encoder ViT (ViT, I-JEPA, video JEPA) on <paramref name="grid"/>: a learned table when the file has a ViT <c>pos_embed</c>, else sin-cos.</summary>
    public VisionTransformer Encoder(int heads, TokenGrid grid, string prefix = "")
    {
        CheckHeads(heads);
        if (Kind == JepaKind.Vjepa) throw new InvalidOperationException("V-JEPA's encoders are TransformerEncoderLayer stacks: use Vjepa()");
        // a learned table keeps the grid it was trained on (resized to other grids in the forward)
        return LearnedPosition
            ? new VisionTransformer(Tokenizer(prefix), TrainedGrid, Depth, heads, PositionEmbedding.Learned, prefix)
            : new VisionTransformer(Tokenizer(prefix), grid, Depth, heads, PositionEmbedding.SinCos, prefix);
    }

    /// <summary>The seed's V-JEPA with these sizes; its square image follows from the learned table's token count.</summary>
    public Vjepa Vjepa(int heads, bool relu)
    {
        if (Kind != JepaKind.Vjepa) throw new InvalidOperationException($"a {Kind} architecture is not V-JEPA");
        CheckHeads(heads);
        return new Vjepa(Channels, TrainedGrid.Height * Patch, Patch, Dim, Depth, heads, PredictorDim, relu, Hidden);
    }

    /// <summary>The square grid a learned <c>pos_embed</c> was trained on (its N tokens as √N × √N).</summary>
    public TokenGrid TrainedGrid
    {
        get
        {
            if (!LearnedPosition) throw new InvalidOperationException("only a learned position table has a trained grid");
            int side = (int)Math.Round(Math.Sqrt(Tokens!.Value));
            if (side * side != Tokens) throw new UserError($"the learned pos_embed's {Tokens} tokens are not a square grid");
            return TokenGrid.Image(side, side);
        }
    }

    /// <summary>I-JEPA (or video JEPA) with these sizes on <paramref name="grid"/>.</summary>
    public Ijepa Ijepa(int heads, TokenGrid grid, JepaLoss loss = JepaLoss.SmoothL1)
    {
        if (Kind is not (JepaKind.Ijepa or JepaKind.VideoJepa)) throw new InvalidOperationException($"a {Kind} architecture is not I-JEPA");
        CheckHeads(heads);
        return new Ijepa(prefix => Encoder(heads, grid, prefix), PredictorDim, PredictorDepth, heads, loss);
    }

    static string Describe(JepaKind kind) => kind switch
    {
        JepaKind.Vit => "ViT (--model vit)",
        JepaKind.Vjepa => "V-JEPA (--model vjepa)",
        JepaKind.Ijepa => "I-JEPA (--model ijepa)",
        _ => "video JEPA (--model video-jepa)",
    };

    static string Signature(JepaKind kind) => kind switch
    {
        JepaKind.Vit => "'patch_embed.proj.weight' and 'blocks.{i}.*'",
        JepaKind.Vjepa => "'pos_embed', 'context_encoder.layers.{i}.*', 'target_encoder.layers.{i}.*', 'predictor.0.weight'",
        JepaKind.Ijepa => "'encoder.*', 'predictor.predictor_embed.weight', 'target_encoder.*', a 4-D 'encoder.patch_embed.proj.weight'",
        _ => "'encoder.*', 'predictor.predictor_embed.weight', 'target_encoder.*', a 5-D tubelet 'encoder.patch_embed.proj.weight'",
    };

    static string Sample(IReadOnlyDictionary<string, int[]> shapes) => shapes.Count == 0
        ? "no tensors"
        : string.Join(", ", shapes.Keys.Order(StringComparer.Ordinal).Take(4).Select(k => $"'{k}'")) + (shapes.Count > 4 ? $" … ({shapes.Count} tensors)" : "");

    /// <summary>Shape look-ups with errors that name the file and the tensor.</summary>
    sealed class Reader(IReadOnlyDictionary<string, int[]> shapes, string source)
    {
        public string Source => source;

        public bool Has(string name) => shapes.ContainsKey(name);

        public int[] Shape(string name, int rank)
        {
            if (!shapes.TryGetValue(name, out var s)) throw new UserError($"{source}: missing tensor '{name}'");
            if (s.Length != rank || s.Any(d => d < 1)) throw Error(name, $"a rank-{rank} tensor");
            return s;
        }

        public void Expect(string name, int[] shape, string? why = null)
        {
            if (!Shape(name, shape.Length).SequenceEqual(shape)) throw Error(name, $"({string.Join(", ", shape)})" + (why is null ? "" : $": {why}"));
        }

        public UserError Error(string name, string expected) =>
            new($"{source}: tensor '{name}' has shape ({string.Join(", ", shapes[name])}), expected {expected}");

        /// <summary>How many consecutive layers 0, 1, … have <paramref name="name"/>(i); at least one, and no layer after a gap.</summary>
        public int Count(Func<int, string> name)
        {
            int n = 0;
            while (shapes.ContainsKey(name(n))) n++;
            if (n == 0) throw new UserError($"{source}: missing tensor '{name(0)}'");
            string first = name(0), stem = first[..first.IndexOf(".0.", StringComparison.Ordinal)] + ".";
            var stray = shapes.Keys.FirstOrDefault(k => k.StartsWith(stem, StringComparison.Ordinal)
                && int.TryParse(k[stem.Length..].Split('.')[0], out int i) && i >= n);
            if (stray is not null) throw new UserError($"{source}: tensor '{stray}' belongs to a layer after a gap (layers 0..{n - 1} are complete)");
            return n;
        }
    }
}
