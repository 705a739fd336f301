using WeJepa.Learning.Devices;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.DevicesTests;

public class DeviceTests(DeviceSpec spec) : DeviceTest(spec)
{
    /// <summary>Row-major GEMM on sub-blocks of larger buffers (leading dims wider than the block), every transpose combination.</summary>
    [TestCase(false, false, false)]
    [TestCase(true, false, false)]
    [TestCase(false, true, false)]
    [TestCase(true, true, false)]
    [TestCase(false, false, true)]
    [TestCase(true, true, true)]
    public void GemmOnDeviceMemoryMatchesReference(bool transA, bool transB, bool kernel)
    {
        const int m = 7, n = 5, k = 3, pad = 2;
        int rowsA = transA ? k : m, colsA = transA ? m : k, rowsB = transB ? n : k, colsB = transB ? k : n;
        var a = Rand.Floats(rowsA * (colsA + pad), -1, 1, 1);
        var b = Rand.Floats(rowsB * (colsB + pad), -1, 1, 2);
        var c0 = Rand.Floats(m * (n + pad), -1, 1, 3);
        var (at, bt, ct) = (T(a, a.Length), T(b, b.Length), T(c0, c0.Length));
        if (kernel) Device.GemmWithKernel(transA, transB, m, n, k, 0.5f, at.View, colsA + pad, bt.View, colsB + pad, 2f, ct.View, n + pad);
        else Device.Gemm(transA, transB, m, n, k, 0.5f, at.View, colsA + pad, bt.View, colsB + pad, 2f, ct.View, n + pad);
        var dense = (double[] x, int rows, int cols) => Enumerable.Range(0, rows * cols).Select(i => x[i / cols * (cols + pad) + i % cols]).ToArray();
        var product = MatMulReference.Forward(dense(a, rowsA, colsA), dense(b, rowsB, colsB), m, k, n, transA, transB);
        var expected = (double[])c0.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) expected[i * (n + pad) + j] = 0.5 * product[i * n + j] + 2 * c0[i * (n + pad) + j];
        Check.Close(ct, expected, 1e-6, 1e-5, "gemm (padding columns untouched)");
    }

    [Test]
    public void KernelPathCompilesKernels()
    {
        if (Spec != DeviceSpec.CpuKernels) Assert.Ignore("kernel-path check");
        var x = T(Rand.Floats(10, -1, 1, 4), 10);
        Learning.Ops.Tanh(x);
        Learning.Ops.Cos(x);
        Assert.That(Device.CompiledKernelCount, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void NewBuffersArePrefilledInTests()
        => Assert.That(Tensor.Empty(Device, 4).ToArray(), Is.All.NaN);

    [Test]
    public void GridIsSizedToTheAcceleratorNotTheWork()
    {
        var small = Device.GridFor(10);
        var huge = Device.GridFor(1L << 30);
        Assert.That(small.GridDim.X * small.GroupDim.X, Is.GreaterThan(0));
        Assert.That((long)huge.GridDim.X * huge.GroupDim.X, Is.LessThanOrEqualTo(Math.Max(1, Device.Accelerator.MaxNumThreads)));
    }
}

public class DeviceCreationTests
{
    [Test]
    public void AskingForCudaWithoutAGpuIsAMissingDependency()
    {
        if (TestDevices.Cuda is not null) Assert.Ignore("a GPU is present");
        var e = Assert.Throws<DeviceUnavailableError>(() => Device.Create(new DeviceOptions(DeviceKind.Cuda)));
        Assert.That(e!.Dependency, Is.EqualTo("CUDA GPU"));
    }

    [Test]
    public void MissingOpenBlasIsAMissingDependencyNamingThePackage()
    {
        var e = Assert.Throws<DeviceUnavailableError>(() => Device.EnsureOpenBlas(false));
        Assert.That(e!.Dependency, Is.EqualTo("libopenblas0-pthread"));
        Assert.That(e.Message, Does.Contain("libopenblas0-pthread").And.Contain("libopenblas.so.0"));
        Assert.DoesNotThrow(() => Device.EnsureOpenBlas(true));
    }

    [Test]
    public void AutoPicksCpuWithoutAGpu()
    {
        if (TestDevices.Cuda is not null) Assert.Ignore("a GPU is present");
        using var device = Device.Create();
        Assert.That(device.IsCpu, Is.True);
    }
}
