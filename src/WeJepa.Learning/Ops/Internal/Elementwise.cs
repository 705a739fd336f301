using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>y = f(x) over host memory: a SIMD loop over one chunk of the input and the output.</summary>
internal delegate void HostMap(ReadOnlySpan<float> x, Span<float> y);

public static partial class Ops
{
    /// <summary>
    /// The forward of a unary elementwise op: on the CPU accelerator the SIMD host loop (much faster
    /// there), elsewhere the ILGPU grid-stride kernel (n, x, y). Both compute the same f; tests hold
    /// each against the op's double reference.
    /// </summary>
    private static Tensor MapElementwise(Tensor x, HostMap host, Action<int, ArrayView<float>, ArrayView<float>> kernel)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (x.Device.UseHostLoops)
            HostLoops.For(x.Length, (s, n) => host(x.HostSpan.Slice(s, n), y.HostSpan.Slice(s, n)));
        else x.Device.Launch(kernel, x.Length, x.Length, x.View, y.View);
        return y;
    }
}
