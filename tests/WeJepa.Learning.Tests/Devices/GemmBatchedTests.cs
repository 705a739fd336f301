using WeJepa.Learning.Devices;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.DevicesTests;

/// <summary>Which code runs a GEMM in <see cref="GemmBatchedTests"/>.</summary>
public enum GemmPath
{
    OpenBlas,
    OneDnn,
    /// <summary>The CPU accelerator's per-shape choice.</summary>
    Auto,
    /// <summary>GemmKernels.Gemm on the CPU accelerator.</summary>
    Kernel,
    /// <summary>cuBLAS (ignored without a GPU).</summary>
    Cuda,
}

/// <summary>
/// Strided-batched GEMM against <see cref="MatMulReference"/> on every backend present: each transpose combination,
/// odd sizes, batch 1, row strides wider than the rows, batch strides with gaps, a shared (stride-0) operand, beta ≠ 0.
/// </summary>
[TestFixture(GemmPath.OpenBlas)]
[TestFixture(GemmPath.OneDnn)]
[TestFixture(GemmPath.Auto)]
[TestFixture(GemmPath.Kernel)]
[TestFixture(GemmPath.Cuda)]
public class GemmBatchedTests(GemmPath path)
{
    static readonly Dictionary<BlasBackend, Lazy<Device?>> cpuDevices = new()
    {
        [BlasBackend.OpenBlas] = new(() => Device.Create(new DeviceOptions(DeviceKind.Cpu, BlasBackend.OpenBlas))),
        [BlasBackend.OneDnn] = new(() => Native.Dnnl.Dnnl.IsAvailable() ? Device.Create(new DeviceOptions(DeviceKind.Cpu, BlasBackend.OneDnn)) : null),
    };

    Device? device;
    Device Device => device!;
    Tape? tape;

    [SetUp]
    public void SetUp()
    {
        var chosen = path switch
        {
            GemmPath.OpenBlas => cpuDevices[BlasBackend.OpenBlas].Value!,
            GemmPath.OneDnn => cpuDevices[BlasBackend.OneDnn].Value ?? throw new IgnoreException("oneDNN (libdnnl.so.2) is not installed"),
            GemmPath.Cuda => TestDevices.Cuda ?? throw new IgnoreException("no CUDA GPU on this machine"),
            _ => TestDevices.Cpu,
        };
        device = chosen;
        chosen.FillNewBuffersWith = float.NaN;
        tape = new Tape(chosen);
        tape.Begin();
    }

    [TearDown]
    public void TearDown()
    {
        if (tape?.IsActive == true) tape.End();
        if (device is not null) Device.FillNewBuffersWith = null;
    }

    static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (transA, transB) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            yield return new TestCaseData(transA, transB, 7, 5, 3, 1, false).SetArgDisplayNames($"{T(transA, transB)} 7x5x3 batch 1");
            yield return new TestCaseData(transA, transB, 13, 1, 9, 4, false).SetArgDisplayNames($"{T(transA, transB)} 13x1x9 batch 4");
            yield return new TestCaseData(transA, transB, 5, 11, 6, 3, true).SetArgDisplayNames($"{T(transA, transB)} 5x11x6 batch 3, shared B");
            // big enough for oneDNN under Auto (≥ 2^19 multiply-adds, every side ≥ 32): the product both backends see
            yield return new TestCaseData(transA, transB, 161, 163, 167, 2, false).SetArgDisplayNames($"{T(transA, transB)} 161x163x167 batch 2");
        }
    }

    static string T(bool transA, bool transB) => $"{(transA ? "T" : "N")}{(transB ? "T" : "N")}";

    [TestCaseSource(nameof(Cases))]
    public void MatchesTheReference(bool transA, bool transB, int m, int n, int k, int batch, bool sharedB)
    {
        const int pad = 3, gap = 5; // row strides wider than the rows, batch strides wider than the matrices
        int rowsA = transA ? k : m, colsA = transA ? m : k, rowsB = transB ? n : k, colsB = transB ? k : n;
        int lda = colsA + pad, ldb = colsB + pad, ldc = n + pad;
        long strideA = (long)rowsA * lda + gap, strideB = sharedB ? 0 : (long)rowsB * ldb + gap, strideC = (long)m * ldc + gap;
        var a = Rand.Floats((int)(strideA * batch), -1, 1, 1);
        var b = Rand.Floats((int)(sharedB ? rowsB * ldb : strideB * batch), -1, 1, 2);
        var c0 = Rand.Floats((int)(strideC * batch), -1, 1, 3);
        var (at, bt, ct) = (Of(a), Of(b), Of(c0));
        const float alpha = 0.5f, beta = 2f;
        if (path == GemmPath.Kernel)
            Device.GemmWithKernel(transA, transB, m, n, k, alpha, at.View, lda, strideA, bt.View, ldb, strideB, beta, ct.View, ldc, strideC, batch);
        else
            Device.GemmBatched(transA, transB, m, n, k, alpha, at.View, lda, strideA, bt.View, ldb, strideB, beta, ct.View, ldc, strideC, batch);

        var expected = (double[])c0.Clone(); // gaps and padding columns stay as they were
        for (int q = 0; q < batch; q++)
        {
            var product = MatMulReference.Forward(Dense(a, q * strideA, rowsA, colsA, lda), Dense(b, q * strideB, rowsB, colsB, ldb), m, k, n, transA, transB);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    long o = q * strideC + i * ldc + j;
                    expected[o] = alpha * product[i * n + j] + beta * c0[o];
                }
        }
        Check.Close(ct, expected, 1e-5, 1e-5, $"batched gemm on {path} ({Device.BlasName})");
    }

    [Test]
    public void AutoTakesOneDnnForLargeProductsOnly()
    {
        if (path != GemmPath.Auto) Assert.Ignore("checks the Auto choice");
        Assert.That(Device.BlasFor(64, 64, 64), Is.EqualTo(BlasBackend.OpenBlas), "small products stay on OpenBLAS");
        Assert.That(Device.BlasFor(4096, 256, 2), Is.EqualTo(BlasBackend.OpenBlas), "skinny products stay on OpenBLAS");
        Assert.That(Device.BlasFor(4096, 384, 384), Is.EqualTo(Native.Dnnl.Dnnl.IsAvailable() ? BlasBackend.OneDnn : BlasBackend.OpenBlas));
    }

    [Test]
    public void CountersAttributeProductsToTheirBackend()
    {
        if (path is GemmPath.Kernel or GemmPath.Cuda) Assert.Ignore("the counters time the CPU accelerator's BLAS calls");
        Device.Counters.Reset();
        var (a, b, c) = (Tensor.Zeros(Device, 4 * 8 * 8), Tensor.Zeros(Device, 8 * 8), Tensor.Zeros(Device, 4 * 8 * 8));
        Device.GemmBatched(false, false, 8, 8, 8, 1f, a.View, 8, 64, b.View, 8, 0, 0f, c.View, 8, 64, 4);
        var backend = Device.BlasFor(8, 8, 8);
        Assert.That(Device.Counters.Of(backend).Products, Is.EqualTo(4));
        Assert.That(Device.Counters.Of(backend).Calls, Is.EqualTo(1), "one batched call");
        Assert.That(Device.Counters.Products, Is.EqualTo(4));
        Assert.That(Device.Counters.Calls, Is.EqualTo(1));
        Assert.That(Device.Counters.Flops, Is.EqualTo(4 * 2.0 * 8 * 8 * 8));
    }

    [Test]
    public void AnOperandOutsideItsViewIsRefusedNamingTheShapes()
    {
        var (a, b, c) = (Tensor.Zeros(Device, 2 * 6), Tensor.Zeros(Device, 6), Tensor.Zeros(Device, 2 * 4));
        var e = Assert.Throws<ArgumentException>(() =>
            Device.GemmBatched(false, false, 2, 2, 3, 1f, a.View, 3, 6, b.View, 2, 0, 0f, c.View, 2, 4, 3));
        Assert.That(e!.Message, Does.Contain("gemm").And.Contain("batch 3").And.Contain("A is 2×3"));
    }

    Tensor Of(double[] values) => Tensor.FromArray(Device, values.Select(v => (float)v).ToArray(), values.Length);

    static double[] Dense(double[] x, long offset, int rows, int cols, int ld)
        => Enumerable.Range(0, rows * cols).Select(i => x[offset + i / cols * ld + i % cols]).ToArray();
}

public class BlasChoiceTests
{
    [Test]
    public void ForcedChoicesIgnoreTheShape()
    {
        Assert.That(CpuBlas.Pick(BlasBackend.OpenBlas, true, 4096, 384, 384), Is.EqualTo(BlasBackend.OpenBlas));
        Assert.That(CpuBlas.Pick(BlasBackend.OneDnn, true, 2, 2, 2), Is.EqualTo(BlasBackend.OneDnn));
    }

    [Test]
    public void AutoFallsBackToOpenBlasWithoutOneDnn()
        => Assert.That(CpuBlas.Pick(BlasBackend.Auto, false, 4096, 384, 384), Is.EqualTo(BlasBackend.OpenBlas));

    [Test]
    public void AutoSplitsAtTheMeasuredThreshold()
    {
        Assert.That(CpuBlas.Pick(BlasBackend.Auto, true, 4096, 384, 384), Is.EqualTo(BlasBackend.OneDnn));
        Assert.That(CpuBlas.Pick(BlasBackend.Auto, true, 64, 64, 64), Is.EqualTo(BlasBackend.OpenBlas));
        Assert.That(CpuBlas.Pick(BlasBackend.Auto, true, 1 << 20, 1 << 10, 2), Is.EqualTo(BlasBackend.OpenBlas), "a side below the minimum");
    }

    [Test]
    public void AskingForOneDnnWithoutItIsAMissingDependencyNamingThePackage()
    {
        var e = Assert.Throws<DeviceUnavailableError>(() => CpuBlas.EnsureAvailable(BlasBackend.OneDnn, false));
        Assert.That(e!.Dependency, Is.EqualTo("libdnnl2"));
        Assert.That(e.Message, Does.Contain("libdnnl2").And.Contain("libdnnl.so.2"));
        Assert.DoesNotThrow(() => CpuBlas.EnsureAvailable(BlasBackend.Auto, false));
        Assert.DoesNotThrow(() => CpuBlas.EnsureAvailable(BlasBackend.OneDnn, true));
    }
}
