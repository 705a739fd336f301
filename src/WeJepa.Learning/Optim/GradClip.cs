using ILGPU;
using ILGPU.Runtime;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Optim;

/// <summary>
/// Global-norm gradient clipping over the flat gradient buffers of one or several stores (an encoder and a
/// predictor clipped together), <c>torch.nn.utils.clip_grad_norm_</c> over all their parameters:
/// norm = ‖g‖₂ over every parameter of every store; g ← g·min(1, max/(norm + 1e-6)).
/// </summary>
public static class GradClip
{
    /// <summary>Clips in place and returns the norm before clipping (PyTorch's return value).</summary>
    public static double ClipGlobalNorm(ParameterStore parameters, double maxNorm) => ClipGlobalNorm([parameters], maxNorm);

    /// <summary>Clips every store's gradients by their joint norm, in place; returns that norm before clipping.</summary>
    public static double ClipGlobalNorm(IReadOnlyList<ParameterStore> stores, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "max norm must be > 0");
        OptimizerStores.Check("clip_grad_norm", stores);
        double sum = 0;
        foreach (var s in stores) sum += SumOfSquares(s.Device, s.Grads.View);
        double norm = Math.Sqrt(sum);
        double coefficient = Math.Min(1.0, maxNorm / (norm + 1e-6));
        if (coefficient < 1.0)
            foreach (var s in stores) Scale(s.Device, s.Grads.View, (float)coefficient);
        return norm;
    }

    /// <summary>‖x‖₂ (see <see cref="SumOfSquares"/>).</summary>
    public static double GlobalNorm(Device device, ArrayView<float> x) => Math.Sqrt(SumOfSquares(device, x));

    /// <summary>Σ x², accumulated per thread in float and across threads in double (deterministic: no atomics).</summary>
    public static double SumOfSquares(Device device, ArrayView<float> x)
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
            return sum;
        }
        var grid = device.GridFor(n);
        using var partials = device.Accelerator.Allocate1D<float>(grid.GridDim.Size * grid.GroupDim.Size);
        device.Launch(SumOfSquaresKernel, n, n, x, partials.View.AsContiguous());
        device.Synchronize();
        foreach (var p in partials.GetAsArray1D()) sum += p;
        return sum;
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
