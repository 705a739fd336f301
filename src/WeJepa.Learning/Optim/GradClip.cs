using ILGPU;
using ILGPU.Runtime;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Optim;

/// <summary>
/// Global-norm gradient clipping over a model's flat gradient buffer, <c>torch.nn.utils.clip_grad_norm_</c>:
/// norm = ‖g‖₂ over every parameter; g ← g·min(1, max/(norm + 1e-6)).
/// </summary>
public static class GradClip
{
    /// <summary>Clips in place and returns the norm before clipping (PyTorch's return value).</summary>
    public static double ClipGlobalNorm(ParameterStore parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "max norm must be > 0");
        double norm = GlobalNorm(parameters.Device, parameters.Grads.View);
        double coefficient = Math.Min(1.0, maxNorm / (norm + 1e-6));
        if (coefficient < 1.0) Scale(parameters.Device, parameters.Grads.View, (float)coefficient);
        return norm;
    }

    /// <summary>‖x‖₂, accumulated per thread in float and across threads in double (deterministic: no atomics).</summary>
    public static double GlobalNorm(Device device, ArrayView<float> x)
    {
        int n = checked((int)x.Length);
        double sum = 0;
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            var span = device.HostSpan(x);
            const int chunk = 4096;
            for (int i = 0; i < n; i += chunk)
                sum += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(span.Slice(i, Math.Min(chunk, n - i)));
            return Math.Sqrt(sum);
        }
        var grid = device.GridFor(n);
        using var partials = device.Accelerator.Allocate1D<float>(grid.GridDim.Size * grid.GroupDim.Size);
        device.Launch(SumOfSquaresKernel, n, n, x, partials.View.AsContiguous());
        device.Synchronize();
        foreach (var p in partials.GetAsArray1D()) sum += p;
        return Math.Sqrt(sum);
    }

    /// <summary>x ← c·x in place.</summary>
    public static void Scale(Device device, ArrayView<float> x, float c)
    {
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            var span = device.HostSpan(x);
            System.Numerics.Tensors.TensorPrimitives.Multiply(span, c, span);
        }
        else device.Launch(ScaleKernel, x.Length, checked((int)x.Length), c, x);
    }

    /// <summary>partials[t] = Σ x[i]² over thread t's grid-stride elements. x is (n), partials is (threads).</summary>
    [Kernel]
    public static void SumOfSquaresKernel(int n, ArrayView<float> x, ArrayView<float> partials)
    {
        float acc = 0f;
        for (int i = GridStride.Start; i < n; i += GridStride.Step) acc += x[i] * x[i];
        partials[GridStride.Start] = acc;
    }

    /// <summary>x[i] *= c. x is (n).</summary>
    [Kernel]
    public static void ScaleKernel(int n, float c, ArrayView<float> x)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) x[i] *= c;
    }
}

/// <summary>The specification of <see cref="GradClip"/> in double precision.</summary>
public static class GradClipReference
{
    public static double ClipGlobalNorm(double[] grad, double maxNorm)
    {
        double norm = Math.Sqrt(grad.Sum(g => g * g));
        double c = Math.Min(1.0, maxNorm / (norm + 1e-6));
        for (int i = 0; i < grad.Length; i++) grad[i] *= c;
        return norm;
    }
}
