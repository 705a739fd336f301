using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Learning.Models;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Weights;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.App.Commands;

/// <summary>
/// The models <c>wejepa grad</c> knows: each builds itself from a weights file (sizes read from the tensor
/// shapes, then a strict load), checks its batch file, and returns its loss (1,) and gradients by name.
/// </summary>
public abstract class GradModels : IDisposable
{
    public static readonly string[] Names = ["hnn", "lnn", "mlp", "vit-layer", "vit", "vjepa", "ijepa", "video-jepa"];

    /// <summary>The models whose attention heads the weights cannot tell (<c>--heads</c>).</summary>
    public static readonly string[] WithHeads = ["vit-layer", "vit", "vjepa", "ijepa", "video-jepa"];

    protected Device Device { get; }

    /// <summary>The stores whose gradients are written, each entry under its state_dict name; a frozen store's are zeros.</summary>
    protected IReadOnlyList<NamedStore> Stores { get; set; }

    protected ParameterStore Parameters => Stores[0].Store;

    private protected GradModels(Device device, ParameterStore parameters) => (Device, Stores) = (device, [NamedStore.Same(parameters)]);

    /// <summary>For a model whose stores <see cref="Prepare"/> builds once the batch is known.</summary>
    private protected GradModels(Device device) => (Device, Stores) = (device, []);

    public static GradModels Create(string model, Device device, string weightsPath, int? heads, string? activation = null)
    {
        var file = Safetensors.Read(weightsPath, "weights file");
        return model switch
        {
            "hnn" => Loaded(SizesOf(file, weightsPath, (h, d) => new Hnn(device, h, degrees: d)), h => h.Parameters, weightsPath,
                h => [h.JBuffer], h => new Dynamics(device, h, h.Parameters, h.Loss, 2 * h.Degrees)),
            "mlp" => Loaded(SizesOf(file, weightsPath, (h, d) => new Mlp(device, h, degrees: d)), m => m.Parameters, weightsPath,
                _ => [], m => new Dynamics(device, m, m.Parameters, m.Loss, m.Net.Inputs)),
            "lnn" => Loaded(SizesOf(file, weightsPath, (h, d) => new Lnn(device, h, degrees: d)), l => l.Parameters, weightsPath,
                _ => [], l => new Lagrangian(device, l)),
            "vit-layer" => VitLayer.Create(device, weightsPath, file, heads),
            "vit" or "vjepa" or "ijepa" or "video-jepa" => GradJepa.Create(model, device, weightsPath, file, heads, activation),
            _ => throw new UserError($"--model: unknown model '{model}' (expected {string.Join(", ", Names)})"),
        };
    }

    /// <summary>Loads the weights strictly into a new model, disposing it if the file is rejected.</summary>
    static GradModels Loaded<TModel>(TModel model, Func<TModel, ParameterStore> parameters, string weightsPath,
        Func<TModel, ConstantBuffer[]> buffers, Func<TModel, GradModels> wrap) where TModel : IDisposable
    {
        try
        {
            WeightsFile.Load(weightsPath, parameters(model), buffers(model));
            return wrap(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loss and gradients for the batch in <paramref name="batchPath"/>: ("loss", (1), …) then one entry per parameter.</summary>
    public List<(string Name, int[] Shape, float[] Values)> Run(string batchPath)
    {
        var batch = Safetensors.Read(batchPath, "batch file");
        Prepare(batch, batchPath);
        foreach (var s in Stores.Where(s => s.Store.Trainable)) s.Store.ZeroGrad();
        float loss = new Tape(Device).Step(() =>
        {
            var l = Loss(batch, batchPath);
            float value = l.Item();
            if (!float.IsFinite(value)) ThrowNonFinite(batch, batchPath, value);
            Autograd.Backward(l);
            return value;
        });
        var result = new List<(string, int[], float[])> { ("loss", [1], [loss]) };
        foreach (var (store, fileName) in Stores)
            foreach (var e in store.Layout.Entries)
            {
                var grad = store.Trainable ? store.GetGrad(e.Name) : new float[e.Length];
                int bad = Array.FindIndex(grad, v => !float.IsFinite(v));
                if (bad >= 0) throw new UserError($"the gradient of '{fileName(e.Name)}' is {grad[bad]} at element {bad} (loss {loss}); nothing was written", ExitCodes.Diverged);
                result.Add((fileName(e.Name), e.Shape, grad));
            }
        return result;
    }

    /// <summary>Checks the whole batch on the host and builds what depends on it, before any kernel runs (default: nothing).</summary>
    protected virtual void Prepare(SafetensorsFile batch, string batchPath) { }

    /// <summary>The model's training loss on the batch (shapes already checked).</summary>
    protected abstract Tensor Loss(SafetensorsFile batch, string batchPath);

    /// <summary>Replays the loss in anomaly mode to name the op that first produced NaN/Inf.</summary>
    void ThrowNonFinite(SafetensorsFile batch, string batchPath, float loss)
    {
        try
        {
            new Tape(Device) { DetectAnomaly = true }.Step(() => Loss(batch, batchPath));
        }
        catch (NonFiniteError e)
        {
            throw new UserError($"the loss is {loss}: {e.Message}", ExitCodes.Diverged);
        }
        throw new UserError($"the loss is {loss}", ExitCodes.Diverged);
    }

    /// <summary>Checks the batch holds exactly <paramref name="names"/> (F32) and returns them as tensors.</summary>
    protected Tensor[] Tensors(SafetensorsFile batch, string batchPath, params string[] names)
    {
        CheckNames(batch, batchPath, names);
        return names.Select(n =>
        {
            var (values, shape) = Floats(batch, batchPath, n);
            return Tensor.FromArray(Device, values, shape);
        }).ToArray();
    }

    /// <summary>Checks the batch holds every name of <paramref name="required"/> and nothing outside it and <paramref name="optional"/>.</summary>
    protected static void CheckNames(SafetensorsFile batch, string batchPath, string[] required, params string[] optional)
    {
        var unexpected = batch.Tensors.Keys.Except(required).Except(optional).ToList();
        if (unexpected.Count > 0)
            throw new UserError($"{batchPath}: unexpected tensor(s) {string.Join(", ", unexpected.Select(n => $"'{n}'"))} (this model's batch has " +
                $"{string.Join(", ", required)}{(optional.Length > 0 ? $", optionally {string.Join(", ", optional)}" : "")})");
        foreach (var n in required) batch.Get(batchPath, n);
    }

    /// <summary>A non-empty, finite F32 batch tensor on the host.</summary>
    protected static (float[] Values, int[] Shape) Floats(SafetensorsFile batch, string batchPath, string name)
    {
        var t = Present(batch, batchPath, name);
        if (t.DType != SafetensorsDType.F32) throw new UserError($"{batchPath}: tensor '{name}' has dtype {t.DType}, expected F32");
        var values = t.ToFloat32();
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw new UserError($"{batchPath}: tensor '{name}' holds {values[bad]} at element {bad}; a batch must be finite");
        return (values, t.ShapeAsInt());
    }

    /// <summary>A non-empty batch tensor (any dtype).</summary>
    protected static SafetensorsTensor Present(SafetensorsFile batch, string batchPath, string name)
    {
        var t = batch.Get(batchPath, name);
        if (t.Shape.Length == 0 || t.Shape.Contains(0))
            throw new UserError($"{batchPath}: tensor '{name}' has shape ({string.Join(", ", t.Shape)}): an empty batch has no loss; every dimension must be ≥ 1");
        return t;
    }

    protected static void Expect(bool ok, string batchPath, string what)
    {
        if (!ok) throw new UserError($"{batchPath}: {what}");
    }

    protected static string Shape(Tensor t) => "(" + string.Join(", ", t.Shape) + ")";

    /// <summary>Builds a model sized by the file's first layer: 'net.0.weight' is (hidden, 2d).</summary>
    static TModel SizesOf<TModel>(SafetensorsFile weights, string path, Func<int, int, TModel> create)
    {
        var w = weights.Get(path, "net.0.weight");
        if (w.Shape.Length != 2 || w.Shape[1] is not (2 or 4) || w.Shape[0] < 1)
            throw new UserError($"{path}: tensor 'net.0.weight' has shape ({string.Join(", ", w.Shape)}), expected (hidden, 2d) with d = 1 or 2");
        return create(checked((int)w.Shape[0]), (int)w.Shape[1] / 2);
    }

    /// <summary>hnn and mlp: x, dxdt (B, 2d); loss = mean((f(x) − dxdt)²).</summary>
    sealed class Dynamics(Device device, IDisposable model, ParameterStore parameters, Func<Tensor, Tensor, Tensor> loss, int width)
        : GradModels(device, parameters)
    {
        protected override Tensor Loss(SafetensorsFile batch, string batchPath)
        {
            var t = Tensors(batch, batchPath, "x", "dxdt");
            Expect(t[0].Rank == 2 && t[0].Shape[1] == width, batchPath, $"tensor 'x' has shape {Shape(t[0])}, expected (B, {width}) = (q, p)");
            Expect(Learning.Shapes.Equal(t[0].Shape, t[1].Shape), batchPath, $"tensor 'dxdt' has shape {Shape(t[1])}, expected {Shape(t[0])} like 'x'");
            return loss(t[0], t[1]);
        }

        public override void Dispose() => model.Dispose();
    }

    /// <summary>lnn: q, v (B, T, d), dt (1); loss = the Euler–Lagrange residual.</summary>
    sealed class Lagrangian(Device device, Lnn lnn) : GradModels(device, lnn.Parameters)
    {
        protected override Tensor Loss(SafetensorsFile batch, string batchPath)
        {
            var t = Tensors(batch, batchPath, "q", "v", "dt");
            Expect(t[0].Rank == 3 && t[0].Shape[2] == lnn.Degrees && t[0].Shape[1] >= 2, batchPath, $"tensor 'q' has shape {Shape(t[0])}, expected (B, T, {lnn.Degrees}) with T >= 2");
            Expect(Learning.Shapes.Equal(t[0].Shape, t[1].Shape), batchPath, $"tensor 'v' has shape {Shape(t[1])}, expected {Shape(t[0])} like 'q'");
            Expect(t[2].Length == 1, batchPath, $"tensor 'dt' has shape {Shape(t[2])}, expected (1,)");
            float dt = t[2].Item();
            Expect(dt is >= 1e-6f and <= 1f, batchPath, $"tensor 'dt' is {dt}, expected a time step in [1e-6, 1] s");
            return lnn.ResidualLoss(t[0], t[1], dt);
        }

        public override void Dispose() => lnn.Dispose();
    }

    /// <summary>vit-layer: x, target (B, N, D); loss = mean((layer(x) − target)²).</summary>
    sealed class VitLayer : GradModels
    {
        readonly TransformerEncoderLayer layer;

        VitLayer(Device device, ParameterStore parameters, TransformerEncoderLayer layer) : base(device, parameters) => this.layer = layer;

        public static VitLayer Create(Device device, string weightsPath, SafetensorsFile file, int? heads)
        {
            if (heads is not { } h) throw new UserError("--model vit-layer needs --heads H (the attention heads of the layer)");
            var norm = file.Get(weightsPath, "norm1.weight");
            var linear1 = file.Get(weightsPath, "linear1.weight");
            if (norm.Shape.Length != 1 || linear1.Shape.Length != 2)
                throw new UserError($"{weightsPath}: expected 'norm1.weight' (D) and 'linear1.weight' (F, D), got ({string.Join(", ", norm.Shape)}) and ({string.Join(", ", linear1.Shape)})");
            int d = checked((int)norm.Shape[0]), f = checked((int)linear1.Shape[0]);
            if (h <= 0 || d % h != 0) throw new UserError($"--heads {h} must be positive and divide the model width D = {d}");
            var layer = new TransformerEncoderLayer(d, h, f);
            var parameters = ParameterStore.Create(device, layer.Parameters, seed: 0);
            try { WeightsFile.Load(weightsPath, parameters); }
            catch
            {
                parameters.Dispose();
                throw;
            }
            return new VitLayer(device, parameters, layer);
        }

        protected override Tensor Loss(SafetensorsFile batch, string batchPath)
        {
            var t = Tensors(batch, batchPath, "x", "target");
            Expect(t[0].Rank == 3 && t[0].Shape[2] == layer.Dim, batchPath, $"tensor 'x' has shape {Shape(t[0])}, expected (B, N, {layer.Dim})");
            Expect(Learning.Shapes.Equal(t[0].Shape, t[1].Shape), batchPath, $"tensor 'target' has shape {Shape(t[1])}, expected {Shape(t[0])} like 'x'");
            var error = Ops.Sub(layer.Forward(Parameters, t[0]), t[1]);
            return Ops.Mean(Ops.Mul(error, error));
        }

        public override void Dispose() => Parameters.Dispose();
    }

    public abstract void Dispose();
}
