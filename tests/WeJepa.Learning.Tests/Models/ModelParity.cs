using WeJepa.Core.IO;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;
using WeJepa.Learning.Weights;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Tests.Models;

/// <summary>
/// llm.c's test_gpt2 pattern over the fixtures of tests/fixtures/make_model_fixtures.py: load the PyTorch
/// weights and batch, check the loss and every named gradient, then the losses (and pre-clip gradient
/// norms) of 10 AdamW steps with global-norm clipping, using the script's hyper-parameters.
/// The reference is PyTorch in float64 (weights and batch rounded to float32 first), so the tolerances bound
/// our float32 error alone. Stated per model in its test (|ours − torch| ≤ atol + rtol·|torch|):
/// HNN, MLP: loss rtol 1e-5; gradients atol 1e-5·max|g| + rtol 1e-3; AdamW losses and norms rtol 1e-4.
/// LNN: loss rtol 1e-4; gradients 1e-5·max|g| + 1e-3; AdamW rtol 1e-3; acceleration atol 1e-4 + rtol 1e-3.
/// PatchEmbed + layer: loss rtol 1e-5; gradients 1e-4·max|g| + 1e-3; AdamW rtol 1e-4.
/// (Measured: losses agree to ~1e-7 relative; the AdamW trajectories to ~1e-5, since Adam's first steps
/// amplify float32 differences in near-zero gradients.)
/// </summary>
public sealed class ModelParity(string model, string family = "models")
{
    // make_model_fixtures.py: ADAMW = lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.1 on ndim >= 2; CLIP = 1.0
    const double Lr = 1e-3, WeightDecay = 0.1, Clip = 1.0;
    public const int Steps = 10;

    public string WeightsPath => Path.Combine(Fixtures.Folder, $"{family}-{model}-weights.safetensors");
    public string BatchPath => Path.Combine(Fixtures.Folder, $"{family}-{model}-batch.safetensors");
    public string ExpectedFile => $"{family}-{model}-expected.safetensors";

    /// <summary>A batch tensor on <paramref name="device"/>.</summary>
    public Tensor Batch(Device device, string name)
    {
        var t = Safetensors.Read(BatchPath).Get(BatchPath, name);
        return Tensor.FromArray(device, t.ToFloat32(), t.ShapeAsInt());
    }

    public double[] Expected(string name) => Fixtures.Values(ExpectedFile, name);

    public void LoadWeights(ParameterStore parameters, params ConstantBuffer[] buffers) => WeightsFile.Load(WeightsPath, parameters, buffers);

    /// <summary>The loss and every gradient after one backward, against PyTorch (float64 reference).</summary>
    /// <param name="gradAtol">Absolute tolerance as a fraction of the largest |gradient| of each tensor.</param>
    public void CheckLossAndGradients(ParameterStore parameters, Func<Tensor> loss, double lossRtol, double gradAtol, double gradRtol)
    {
        parameters.ZeroGrad();
        new Tape(parameters.Device).Step(() =>
        {
            var l = loss();
            Check.Close([l.Item()], Expected("loss"), 0, lossRtol, $"{model}: loss");
            Autograd.Backward(l);
        });
        foreach (var e in parameters.Layout.Entries)
        {
            var expected = Expected(e.Name);
            double scale = expected.Max(Math.Abs);
            Check.Close(parameters.GetGrad(e.Name), expected, gradAtol * scale + 1e-12, gradRtol, $"{model}: gradient of {e.Name}");
        }
    }

    /// <summary>10 AdamW steps: each step's loss and pre-clipping global gradient norm against PyTorch.</summary>
    public void CheckAdamWSteps(ParameterStore parameters, Func<Tensor> loss, double rtol)
    {
        using var adamW = new AdamW(parameters);
        var (losses, norms) = (new double[Steps], new double[Steps]);
        var tape = new Tape(parameters.Device);
        for (int s = 0; s < Steps; s++)
        {
            parameters.ZeroGrad();
            losses[s] = tape.Step(() =>
            {
                var l = loss();
                Autograd.Backward(l);
                return l.Item();
            });
            norms[s] = GradClip.ClipGlobalNorm(parameters, Clip);
            adamW.Step(Lr, WeightDecay);
        }
        Check.Close(losses, Expected("adamw_losses"), 0, rtol, $"{model}: losses of {Steps} AdamW steps");
        Check.Close(norms, Expected("adamw_grad_norms"), 0, rtol, $"{model}: gradient norms of {Steps} AdamW steps");
    }
}
