using WeJepa.Core.IO;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Models;
using WeJepa.Learning.Tests.Support;
using WeJepa.Learning.Weights;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>
/// <see cref="ModelParity"/> for a model spread over several stores (student encoder, predictor, EMA teacher): one
/// weights file loads into all of them, gradients are checked store by store, and the AdamW run clips the trained
/// stores by their joint norm (torch.nn.utils.clip_grad_norm_ over all parameters that have a gradient).
/// </summary>
public sealed class MultiStoreParity(string model)
{
    const double Lr = 1e-3, WeightDecay = 0.1, Clip = 1.0;
    readonly ModelParity files = new(model, "jepa");

    public double[] Expected(string name) => files.Expected(name);

    public Tensor Batch(Device device, string name) => files.Batch(device, name);

    public int[] BatchShape(string name) => Safetensors.Read(files.BatchPath).Get(files.BatchPath, name).ShapeAsInt();

    public int[] BatchIntegers(string name) => Safetensors.Read(files.BatchPath).Get(files.BatchPath, name).ToInt64().Select(v => (int)v).ToArray();

    /// <summary>(B, Nc) context and (B, M, Nt) targets as one index per block.</summary>
    public (TokenIndex Context, TokenIndex[] Targets) Masks(int tokens)
    {
        var (cs, ts) = (BatchShape("context_index"), BatchShape("target_index"));
        var context = new TokenIndex(cs[0], cs[1], BatchIntegers("context_index"), tokens);
        return (context, TokenIndex.Blocks(ts[0], ts[1], ts[2], BatchIntegers("target_index"), tokens));
    }

    /// <summary>A store for <paramref name="specs"/> filled from the weights file, where parameter n is file tensor <paramref name="fileName"/>(n).</summary>
    public ParameterStore Load(Device device, IEnumerable<ParameterSpec> specs, IEnumerable<ConstantBuffer> constants, Func<string, string>? fileName = null)
    {
        var store = ParameterStore.Create(device, specs, seed: 0);
        if (fileName is null)
        {
            WeightsFile.Load(files.WeightsPath, store, constants, new WeightsLoadOptions(AllowUnexpected: true));
            return store;
        }
        var file = Safetensors.Read(files.WeightsPath);
        foreach (var e in store.Layout.Entries)
            store.Set(e.Name, WeightsFile.CheckedFloat32(files.WeightsPath, fileName(e.Name), file.Get(files.WeightsPath, fileName(e.Name)), e.Shape));
        return store;
    }

    public void CheckLossAndGradients(ParameterStore[] stores, Func<Tensor> loss, double lossRtol, double gradAtol, double gradRtol)
    {
        foreach (var s in stores) s.ZeroGrad();
        new Tape(stores[0].Device).Step(() =>
        {
            var l = loss();
            Check.Close([l.Item()], Expected("loss"), 0, lossRtol, $"{model}: loss");
            Autograd.Backward(l);
        });
        foreach (var s in stores)
            foreach (var e in s.Layout.Entries)
            {
                var expected = Expected(e.Name);
                Check.Close(s.GetGrad(e.Name), expected, gradAtol * expected.Max(Math.Abs) + 1e-12, gradRtol, $"{model}: gradient of {e.Name}");
            }
    }

    /// <summary>10 steps: loss, backward, joint clip, AdamW on each trained store, then <paramref name="afterStep"/> (the EMA).</summary>
    public void CheckAdamWSteps(ParameterStore[] trained, Func<Tensor> loss, Action afterStep, double rtol)
    {
        var optimizers = trained.Select(s => new AdamW(s)).ToArray();
        var (losses, norms) = (new double[ModelParity.Steps], new double[ModelParity.Steps]);
        var tape = new Tape(trained[0].Device);
        for (int step = 0; step < ModelParity.Steps; step++)
        {
            foreach (var s in trained) s.ZeroGrad();
            losses[step] = tape.Step(() =>
            {
                var l = loss();
                Autograd.Backward(l);
                return l.Item();
            });
            double norm = Math.Sqrt(trained.Sum(s => Math.Pow(GradClip.GlobalNorm(s.Device, s.Grads.View), 2)));
            double coefficient = Math.Min(1.0, Clip / (norm + 1e-6));
            if (coefficient < 1.0) foreach (var s in trained) GradClip.Scale(s.Device, s.Grads.View, (float)coefficient);
            norms[step] = norm;
            foreach (var o in optimizers) o.Step(Lr, WeightDecay);
            afterStep();
        }
        foreach (var o in optimizers) o.Dispose();
        Check.Close(losses, Expected("adamw_losses"), 0, rtol, $"{model}: losses of {ModelParity.Steps} AdamW steps");
        Check.Close(norms, Expected("adamw_grad_norms"), 0, rtol, $"{model}: gradient norms of {ModelParity.Steps} AdamW steps");
    }
}
