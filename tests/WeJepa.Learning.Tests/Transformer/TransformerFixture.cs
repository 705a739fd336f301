using WeJepa.Learning.Devices;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Transformer;

/// <summary>The PyTorch oracles of <c>tests/fixtures/transformer.safetensors</c> (written by make_transformer_fixtures.py).</summary>
static class TransformerFixture
{
    public const string File = "transformer.safetensors";

    public static double[] Values(string name) => Fixtures.Values(File, name);

    public static int[] Shape(string name) => Fixtures.Shape(File, name);

    public static Tensor Load(Device device, string name, bool requiresGrad = false)
    {
        var t = Tensor.FromArray(device, Values(name).Select(v => (float)v).ToArray(), Shape(name));
        t.RequiresGrad = requiresGrad;
        return t;
    }
}
