using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.App.Commands;

/// <summary>
/// The JEPA models of <c>wejepa grad</c>: the architecture comes from the weights' shapes (<see cref="JepaArchitecture"/>),
/// the heads (and V-JEPA's activation) from flags, the token grid from the batch's images or clips. The whole batch —
/// dtypes, shapes, every mask index in range and unique per sample — is checked on the host in <see cref="GradModels.Prepare"/>,
/// before the model is built and any kernel runs. Dropout is 0.
/// </summary>
static class GradJepa
{
    public static GradModels Create(string model, Device device, string weightsPath, SafetensorsFile file, int? heads, string? activation)
    {
        var kind = model switch
        {
            "vit" => JepaKind.Vit,
            "vjepa" => JepaKind.Vjepa,
            "ijepa" => JepaKind.Ijepa,
            _ => JepaKind.VideoJepa,
        };
        var architecture = JepaArchitecture.FromFile(kind, file, weightsPath);
        if (heads is not { } h)
            throw new UserError($"--model {model} needs --heads H (the attention heads{(kind is JepaKind.Ijepa or JepaKind.VideoJepa ? " of encoder and predictor" : "")}; the weights cannot tell)");
        architecture.CheckHeads(h);
        var weights = new JepaWeightsFile(weightsPath, file);
        return kind switch
        {
            JepaKind.Vit => new VitGrad(device, architecture, h, weights),
            JepaKind.Vjepa => new VjepaGrad(device, architecture, h, activation != "gelu", weights),
            _ => new IjepaGrad(device, architecture, h, weights),
        };
    }

    sealed record JepaWeightsFile(string Path, SafetensorsFile File);

    /// <summary>Host-side batch reading shared by the JEPA models: floats, index tensors, boolean masks.</summary>
    abstract class JepaGrad(Device device) : GradModels(device)
    {
        readonly List<ParameterStore> owned = [];

        /// <summary>A store for <paramref name="specs"/> (frozen ones have no gradients: they are written as zeros).</summary>
        protected ParameterStore NewStore(IEnumerable<ParameterSpec> specs, string name, bool trainable = true)
        {
            var store = new ParameterStore(Device, new ParameterLayout(specs), name, trainable);
            owned.Add(store);
            return store;
        }

        protected static int[] Integers(SafetensorsFile batch, string batchPath, string name, int rank)
        {
            var t = Present(batch, batchPath, name);
            if (t.DType is not (SafetensorsDType.I64 or SafetensorsDType.I32))
                throw new UserError($"{batchPath}: tensor '{name}' has dtype {t.DType}, expected I64 or I32 (token indices)");
            if (t.Shape.Length != rank)
                throw new UserError($"{batchPath}: tensor '{name}' has shape ({string.Join(", ", t.Shape)}), expected rank {rank}");
            var values = t.ToInt64();
            int bad = Array.FindIndex(values, v => v is < int.MinValue or > int.MaxValue);
            if (bad >= 0) throw new UserError($"{batchPath}: tensor '{name}' holds token {values[bad]} at element {bad}, outside the int32 range");
            return values.Select(v => (int)v).ToArray();
        }

        /// <summary>(B, K) token indices, each row's entries distinct and in [0, tokens).</summary>
        protected static TokenIndex Index(SafetensorsFile batch, string batchPath, string name, int batchSize, int tokens)
        {
            var values = Integers(batch, batchPath, name, 2);
            var shape = batch.Tensors[name].ShapeAsInt();
            Expect(shape[0] == batchSize, batchPath, $"tensor '{name}' has shape ({shape[0]}, {shape[1]}), expected ({batchSize}, K) for a batch of {batchSize}");
            return Checked(batchPath, name, () => new TokenIndex(batchSize, shape[1], values, tokens));
        }

        /// <summary>(B, M, K) target blocks, one (B, K) index per block.</summary>
        protected static TokenIndex[] Blocks(SafetensorsFile batch, string batchPath, string name, int batchSize, int tokens)
        {
            var values = Integers(batch, batchPath, name, 3);
            var shape = batch.Tensors[name].ShapeAsInt();
            Expect(shape[0] == batchSize, batchPath, $"tensor '{name}' has shape ({string.Join(", ", shape)}), expected ({batchSize}, M, K) for a batch of {batchSize}");
            return Checked(batchPath, name, () => TokenIndex.Blocks(batchSize, shape[1], shape[2], values, tokens));
        }

        static T Checked<T>(string batchPath, string name, Func<T> read)
        {
            try { return read(); }
            catch (ShapeError e) { throw new UserError($"{batchPath}: tensor '{name}': {e.Message}"); }
        }

        /// <summary>A (B, N) boolean mask stored as safetensors BOOL or U8 (values 0 and 1).</summary>
        protected static bool[] Mask(SafetensorsFile batch, string batchPath, string name, int batchSize, int tokens)
        {
            var t = Present(batch, batchPath, name);
            if (t.DType is not (SafetensorsDType.BOOL or SafetensorsDType.U8))
                throw new UserError($"{batchPath}: tensor '{name}' has dtype {t.DType}, expected BOOL or U8 (a boolean mask)");
            Expect(t.Shape.SequenceEqual([(long)batchSize, tokens]), batchPath,
                $"tensor '{name}' has shape ({string.Join(", ", t.Shape)}), expected ({batchSize}, {tokens}): one flag per token");
            int bad = Array.FindIndex(t.Data, v => v > 1);
            if (bad >= 0) throw new UserError($"{batchPath}: tensor '{name}' holds {t.Data[bad]} at element {bad}; a mask holds 0 or 1");
            return t.Data.Select(v => v != 0).ToArray();
        }

        /// <summary>The images or clips and the token grid they give.</summary>
        protected static ((float[] Values, int[] Shape) Input, TokenGrid Grid) Input(SafetensorsFile batch, string batchPath, string name, JepaArchitecture architecture)
        {
            var input = Floats(batch, batchPath, name);
            return (input, architecture.Grid(input.Shape, $"{batchPath}: tensor '{name}'"));
        }

        protected Tensor Upload((float[] Values, int[] Shape) host) => Tensor.FromArray(Device, host.Values, host.Shape);

        public override void Dispose()
        {
            foreach (var s in owned) s.Dispose();
        }
    }

    /// <summary>vit: images (B,C,H,W), optional context_index (B,K), target (B,K,D) (K = N without an index); loss = mean((vit(images, index) − target)²).</summary>
    sealed class VitGrad(Device device, JepaArchitecture architecture, int heads, JepaWeightsFile weights) : JepaGrad(device)
    {
        VisionTransformer vit = null!;
        (float[] Values, int[] Shape) images, target;
        TokenIndex? context;

        protected override void Prepare(SafetensorsFile batch, string batchPath)
        {
            CheckNames(batch, batchPath, ["images", "target"], "context_index");
            (images, var grid) = Input(batch, batchPath, "images", architecture);
            int B = images.Shape[0];
            context = batch.Tensors.ContainsKey("context_index") ? Index(batch, batchPath, "context_index", B, grid.Count) : null;
            target = Floats(batch, batchPath, "target");
            int k = context?.Count ?? grid.Count;
            Expect(target.Shape.SequenceEqual([B, k, architecture.Dim]), batchPath,
                $"tensor 'target' has shape ({string.Join(", ", target.Shape)}), expected ({B}, {k}, {architecture.Dim}): one feature row per encoded token");
            vit = architecture.Encoder(heads, grid);
            var store = NewStore(vit.Parameters, "vit");
            JepaWeights.Load(weights.Path, weights.File, [NamedStore.Same(store)], vit.Constants);
            Stores = [NamedStore.Same(store)];
        }

        protected override Tensor Loss(SafetensorsFile batch, string batchPath)
        {
            var error = Ops.Sub(vit.Forward(Parameters, Upload(images), context), Upload(target));
            return Ops.Mean(Ops.Mul(error, error));
        }
    }

    /// <summary>vjepa: images (B,C,H,W), context_mask (B,N) (1 = hidden from the context encoder), target_mask (B,N) (1 = a target token).</summary>
    sealed class VjepaGrad(Device device, JepaArchitecture architecture, int heads, bool relu, JepaWeightsFile weights) : JepaGrad(device)
    {
        readonly Vjepa model = architecture.Vjepa(heads, relu);
        (float[] Values, int[] Shape) images;
        ContextTargetMasks masks = null!;

        protected override void Prepare(SafetensorsFile batch, string batchPath)
        {
            CheckNames(batch, batchPath, ["images", "context_mask", "target_mask"]);
            (images, var grid) = Input(batch, batchPath, "images", architecture);
            int B = images.Shape[0];
            masks = new ContextTargetMasks(B, grid.Count, Mask(batch, batchPath, "context_mask", B, grid.Count), Mask(batch, batchPath, "target_mask", B, grid.Count));
            var (p, t) = (NewStore(model.Parameters, "vjepa"), NewStore(model.TargetParameters, "target", trainable: false));
            Stores = [NamedStore.Same(p), NamedStore.Same(t)];
            JepaWeights.Load(weights.Path, weights.File, Stores, []);
        }

        protected override Tensor Loss(SafetensorsFile batch, string batchPath) => model.Loss(Stores[0].Store, Stores[1].Store, Upload(images), masks);
    }

    /// <summary>ijepa / video-jepa: images (B,C,H,W) or clips (B,T,C,H,W), context_index (B,Nc), target_index (B,M,Nt); smooth-L1 as ijepa.</summary>
    sealed class IjepaGrad(Device device, JepaArchitecture architecture, int heads, JepaWeightsFile weights) : JepaGrad(device)
    {
        Ijepa model = null!;
        (float[] Values, int[] Shape) input;
        TokenIndex context = null!;
        TokenIndex[] targets = [];

        protected override void Prepare(SafetensorsFile batch, string batchPath)
        {
            string name = architecture.Kind == JepaKind.VideoJepa ? "clips" : "images";
            CheckNames(batch, batchPath, [name, "context_index", "target_index"]);
            (input, var grid) = Input(batch, batchPath, name, architecture);
            int B = input.Shape[0];
            context = Index(batch, batchPath, "context_index", B, grid.Count);
            targets = Blocks(batch, batchPath, "target_index", B, grid.Count);
            model = architecture.Ijepa(heads, grid);
            var encoder = NewStore(model.Encoder.Parameters, "encoder");
            var predictor = NewStore(model.Predictor.Parameters, "predictor");
            var teacher = NewStore(model.Encoder.Parameters, "teacher", trainable: false);
            Stores = [NamedStore.Same(encoder), NamedStore.Same(predictor), new NamedStore(teacher, Ijepa.TeacherName)];
            var tables = model.Encoder.Constants.SelectMany(c => new[] { c, c with { Name = Ijepa.TeacherName(c.Name) } }).Concat(model.Predictor.Constants);
            JepaWeights.Load(weights.Path, weights.File, Stores, tables);
        }

        protected override Tensor Loss(SafetensorsFile batch, string batchPath) =>
            model.Loss(Stores[0].Store, Stores[1].Store, Stores[2].Store, Upload(input), context, targets);
    }
}
