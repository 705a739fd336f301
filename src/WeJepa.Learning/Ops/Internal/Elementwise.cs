using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>
/// A unary elementwise function, written once per op as a struct: <see cref="Apply"/> is the kernel's body on every
/// accelerator; <see cref="Host"/> is the CPU host path over a chunk, SIMD where TensorPrimitives (or FastTanh) has f,
/// else <see cref="UnaryKernels.HostScalar{TFunction}"/> over <see cref="Apply"/>.
/// </summary>
public interface IUnaryFunction
{
    float Apply(float x);

    void Host(ReadOnlySpan<float> x, Span<float> y);
}

/// <summary>The one elementwise kernel every unary op launches, specialised by ILGPU per function struct.</summary>
public static class UnaryKernels
{
    /// <summary>y = f(x). x, y are (n).</summary>
    [Kernel]
    public static void Map<TFunction>(int n, ArrayView<float> x, ArrayView<float> y) where TFunction : struct, IUnaryFunction
    {
        var f = default(TFunction);
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = f.Apply(x[i]);
    }

    /// <summary>The host path of a function with no SIMD form: <see cref="IUnaryFunction.Apply"/> element by element.</summary>
    public static void HostScalar<TFunction>(ReadOnlySpan<float> x, Span<float> y) where TFunction : struct, IUnaryFunction
    {
        var f = default(TFunction);
        for (int i = 0; i < x.Length; i++) y[i] = f.Apply(x[i]);
    }
}

public static partial class Ops
{
    /// <summary>
    /// The forward of a unary elementwise op: on the CPU accelerator the host loop (much faster there), elsewhere
    /// the ILGPU grid-stride kernel. Both compute the same f; tests hold each against the op's double reference.
    /// </summary>
    private static Tensor MapElementwise<TFunction>(Tensor x) where TFunction : struct, IUnaryFunction
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (x.Device.UseHostLoops)
            HostLoops.For(x.Length, (s, n) => default(TFunction).Host(x.HostSpan.Slice(s, n), y.HostSpan.Slice(s, n)));
        else x.Device.Launch(UnaryKernels.Map<TFunction>, x.Length, x.Length, x.View, y.View);
        return y;
    }
}
