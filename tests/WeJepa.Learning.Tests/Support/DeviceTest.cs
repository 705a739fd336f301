using WeJepa.Learning.Devices;

namespace WeJepa.Learning.Tests.Support;

/// <summary>
/// Base of every device test class: written once, instantiated for the CPU accelerator's host path, its
/// ILGPU kernel path, and CUDA (ignored without a GPU). Each test runs as one step of <see cref="Tape"/> on
/// a device that pre-fills every new buffer with NaN, so an op that leaves an element unwritten fails.
/// Derived classes: <c>public class XTests(DeviceSpec spec) : DeviceTest(spec)</c>.
/// </summary>
[TestFixture(DeviceSpec.Cpu)]
[TestFixture(DeviceSpec.CpuKernels)]
[TestFixture(DeviceSpec.Cuda)]
public abstract class DeviceTest(DeviceSpec spec)
{
    protected DeviceSpec Spec { get; } = spec;
    protected Device Device { get; private set; } = null!;
    /// <summary>The tape whose step the test runs in (everything the test allocates is freed after it).</summary>
    protected Tape Tape { get; private set; } = null!;

    [SetUp]
    public void SetUpDevice()
    {
        Device = TestDevices.For(Spec);
        Device.PreferKernels = Spec == DeviceSpec.CpuKernels;
        Device.FillNewBuffersWith = float.NaN;
        Tape = new Tape(Device);
        Tape.Begin();
    }

    [TearDown]
    public void TearDownDevice()
    {
        if (Device is null) return;
        if (Tape?.IsActive == true) Tape.End();
        Device.PreferKernels = false;
        Device.FillNewBuffersWith = null;
    }

    /// <summary>A float32 tensor on the test device holding <paramref name="values"/>.</summary>
    protected Tensor T(double[] values, params int[] shape)
        => Tensor.FromArray(Device, values.Select(v => (float)v).ToArray(), shape);

    /// <summary>A leaf tensor that requires a gradient.</summary>
    protected Tensor Leaf(double[] values, params int[] shape)
    {
        var t = T(values, shape);
        t.RequiresGrad = true;
        return t;
    }
}
