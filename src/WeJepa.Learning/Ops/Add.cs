using System.Numerics.Tensors;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var output = BinaryKernels.Run("add", BinaryOp.Add, a, b);
        return Tape.Record("add", output, [a, b], (g, needs) =>
            [needs[0] ? SumTo(g, a.Shape) : null, needs[1] ? SumTo(g, b.Shape) : null]);
    }

    /// <summary>
    /// target += source, in place and not recorded (gradient accumulation, optimizers). Bumps target's version.
    /// </summary>
    public static void AddInPlace(Tensor target, Tensor source, float alpha = 1f)
    {
        if (target.Length != source.Length)
            throw new ShapeError($"add_: shapes {Shapes.Format(target.Shape)} and {Shapes.Format(source.Shape)} differ in length");
        if (Tape.IsRecording(target)) throw new InvalidOperationException($"add_: in-place write into {target}, which is part of a recorded graph");
        var device = target.Device;
        if (device.UseHostLoops)
            HostLoops.For(target.Length, (s, n) =>
                TensorPrimitives.MultiplyAdd(source.HostSpan.Slice(s, n), alpha, target.HostSpan.Slice(s, n), target.HostSpan.Slice(s, n)));
        else device.Launch(AddKernels.AddInPlace, target.Length, target.Length, alpha, source.View, target.View);
        target.MarkModified();
    }
}

public static class AddKernels
{
    /// <summary>target[i] += alpha·source[i]. Both (n).</summary>
    [Kernel]
    public static void AddInPlace(int n, float alpha, ArrayView<float> source, ArrayView<float> target)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) target[i] += alpha * source[i];
    }
}
