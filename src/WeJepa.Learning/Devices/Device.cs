using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using WeJepa.Native.Blas;
using WeJepa.Native.Dnnl;

namespace WeJepa.Learning.Devices;

/// <summary>
/// One ILGPU context + accelerator, its buffer pool, its kernel cache and its BLAS.
/// Create once per process (kernel compilation is per accelerator) and share it.
/// </summary>
public sealed partial class Device : IDisposable
{
    public Context Context { get; }
    public Accelerator Accelerator { get; }
    public DeviceKind Kind { get; }
    public bool IsCpu => Kind == DeviceKind.Cpu;
    public bool IsCuda => Kind == DeviceKind.Cuda;

    /// <summary>
    /// On the CPU accelerator, ops run SIMD C# loops on the buffers' host memory unless this is set;
    /// tests set it to run (and check) the ILGPU kernels there too. CUDA always runs the kernels.
    /// </summary>
    public bool PreferKernels { get; set; }

    /// <summary>True when ops should take their host (SIMD C#) path.</summary>
    public bool UseHostLoops => IsCpu && !PreferKernels;

    /// <summary>When set (tests), every newly handed-out buffer is filled with this value (e.g. NaN) to expose unwritten elements.</summary>
    public float? FillNewBuffersWith { get; set; }

    readonly BufferPool pool;
    readonly ConcurrentDictionary<MethodInfo, Delegate> kernels = new();
    bool kernelsPending;

    Device(Context context, Accelerator accelerator, DeviceKind kind, BlasBackend blas)
    {
        Context = context;
        Accelerator = accelerator;
        Kind = kind;
        pool = new BufferPool(accelerator);
        if (kind == DeviceKind.Cpu) cpuBlas = new CpuBlas(blas, Dnnl.IsAvailable(), Counters);
        else OpenCuBlas();
    }

    /// <summary>Opens CUDA (when asked for, or for Auto when a GPU is present) or the CPU accelerator.</summary>
    public static Device Create(DeviceKind kind = DeviceKind.Auto) => Create(new DeviceOptions(kind));

    /// <summary>Opens the device <paramref name="options"/> describe; <see cref="DeviceUnavailableError"/> when the machine cannot.</summary>
    public static Device Create(DeviceOptions options)
    {
        var (kind, blas) = (options.Kind, options.Blas);
        var context = Context.Create(b => b.CPU().Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O1));
        try
        {
            var cudaDevices = context.GetCudaDevices();
            if (kind == DeviceKind.Cuda && cudaDevices.Count == 0)
                throw new DeviceUnavailableError("a CUDA device was asked for, but no CUDA GPU was found (use the CPU or auto)", "CUDA GPU");
            if (kind != DeviceKind.Cpu && cudaDevices.Count > 0)
                return new Device(context, cudaDevices[0].CreateAccelerator(context), DeviceKind.Cuda, blas);
            EnsureOpenBlas(OpenBlas.IsAvailable());
            CpuBlas.EnsureAvailable(blas, Dnnl.IsAvailable());
            return new Device(context, context.GetCPUDevice(0).CreateAccelerator(context), DeviceKind.Cpu, blas);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>The CPU accelerator's GEMMs need OpenBLAS: without it, a <see cref="DeviceUnavailableError"/> naming the Debian package.</summary>
    internal static void EnsureOpenBlas(bool available)
    {
        if (!available)
            throw new DeviceUnavailableError($"OpenBLAS ({OpenBlas.Library}) is missing: install the Debian package {OpenBlas.DebianPackage}",
                OpenBlas.DebianPackage);
    }

    public override string ToString() => $"{Kind} ({Accelerator.Name})";

    // ---------------------------------------------------------------- memory

    /// <summary>A pooled buffer of exactly <paramref name="bytes"/> bytes for work on <paramref name="stream"/> (contents undefined).</summary>
    internal MemoryBuffer1D<byte, Stride1D.Dense> Rent(long bytes, AcceleratorStream stream) => pool.Rent(bytes, stream);

    internal void Return(MemoryBuffer1D<byte, Stride1D.Dense> buffer, AcceleratorStream stream) => pool.Return(buffer, stream);

    /// <summary>Host memory of a CPU-accelerator view (no copy). Only valid on the CPU accelerator.</summary>
    public unsafe float* HostPointer(ArrayView<float> view)
    {
        if (!IsCpu) throw new InvalidOperationException("host pointers exist only on the CPU accelerator");
        return (float*)view.LoadEffectiveAddressAsPtr();
    }

    public unsafe Span<float> HostSpan(ArrayView<float> view) => new(HostPointer(view), checked((int)view.Length));

    /// <summary>Host memory of a CPU-accelerator view of any element type (int32 indices, uint8 frames).</summary>
    public unsafe Span<T> HostSpan<T>(ArrayView<T> view) where T : unmanaged
    {
        if (!IsCpu) throw new InvalidOperationException("host pointers exist only on the CPU accelerator");
        return new((void*)view.LoadEffectiveAddressAsPtr(), checked((int)view.Length));
    }

    /// <summary>Waits for every launched kernel (a no-op cost when none is pending on the CPU path).</summary>
    public void Synchronize()
    {
        Accelerator.Synchronize();
        kernelsPending = false;
        ThrowRecordedCheck();
    }

    /// <summary>Before host code touches CPU-accelerator memory, finish kernels launched into it.</summary>
    internal void SyncBeforeHostAccess()
    {
        if (kernelsPending) Synchronize();
    }

    // ---------------------------------------------------------------- kernels

    /// <summary>The launch shape of a grid-stride kernel over <paramref name="work"/> items, sized to the accelerator.</summary>
    public KernelConfig GridFor(long work)
    {
        int group = IsCpu ? Math.Max(1, Accelerator.WarpSize) : 256;
        long maxGroups = IsCpu
            ? Math.Max(1, Accelerator.NumMultiprocessors)
            : (long)Accelerator.NumMultiprocessors * Math.Max(1, Accelerator.MaxNumThreadsPerMultiprocessor / group);
        long groups = Math.Clamp((work + group - 1) / group, 1, maxGroups);
        return new KernelConfig((int)groups, group);
    }

    /// <summary>How many distinct kernels this device has compiled (tests use it to prove the kernel path ran).</summary>
    public int CompiledKernelCount => kernels.Count;

    TDelegate Load<TDelegate>(Delegate kernel, Func<TDelegate> load) where TDelegate : Delegate
        => (TDelegate)kernels.GetOrAdd(kernel.Method, _ => load());

    void AfterLaunch() => kernelsPending = true;

    // ---------------------------------------------------------------- GEMM: Device.Gemm.cs

    public void Dispose()
    {
        cuBlas?.Dispose();
        pool.Dispose();
        Accelerator.Dispose();
        Context.Dispose();
    }
}
