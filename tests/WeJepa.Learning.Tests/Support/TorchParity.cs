using WeJepa.Learning.Devices;

namespace WeJepa.Learning.Tests.Support;

/// <summary>
/// Runs an op on the inputs of an ops.safetensors fixture ("&lt;op&gt;.&lt;input&gt;") and checks its output
/// against "&lt;op&gt;.y" and every input gradient (for the upstream gradient "&lt;op&gt;.g") against "&lt;op&gt;.d&lt;input&gt;".
/// </summary>
public static class TorchParity
{
    public const string File = "ops.safetensors";

    public static void Check(Device device, string op, string[] inputs, Func<Tensor[], Tensor> run, double atol = 1e-5, double rtol = 1e-4)
    {
        var tensors = inputs.Select(name =>
        {
            var t = Tensor.FromArray(device, Fixtures.Values(File, $"{op}.{name}").Select(v => (float)v).ToArray(), Fixtures.Shape(File, $"{op}.{name}"));
            t.RequiresGrad = true;
            return t;
        }).ToArray();
        var y = run(tensors);
        Assert.That(y.Shape, Is.EqualTo(Fixtures.Shape(File, $"{op}.y")), $"{op}: output shape");
        Support.Check.Close(y, Fixtures.Values(File, $"{op}.y"), atol, rtol, $"{op}: output vs PyTorch");
        var g = Tensor.FromArray(device, Fixtures.Values(File, $"{op}.g").Select(v => (float)v).ToArray(), y.Shape);
        var grads = Autograd.Grad([y], tensors, [g]);
        for (int i = 0; i < inputs.Length; i++)
            Support.Check.Close(grads[i]!, Fixtures.Values(File, $"{op}.d{inputs[i]}"), atol, rtol, $"{op}: d{inputs[i]} vs PyTorch");
    }
}
