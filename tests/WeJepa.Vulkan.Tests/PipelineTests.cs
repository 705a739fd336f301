using System.Runtime.InteropServices;
using WeJepa.Core.Errors;
using WeJepa.Vulkan;

namespace WeJepa.Vulkan.Tests;

public class PipelineTests : VulkanFixture
{
    [StructLayout(LayoutKind.Sequential)]
    private record struct AffinePush(uint N, float A, float B);

    /// <summary>Runs vk_test_affine (y = a·x + b for i &lt; n) with the given workgroup size; y is NaN-prefilled.</summary>
    private float[] RunAffine(float[] x, int n, int outputLength, uint workgroup, MemoryPlacement placement)
    {
        using var xs = Device.CreateBuffer(x.Length * 4L, placement);
        using var ys = Device.CreateBuffer(outputLength * 4L, placement);
        xs.Upload<float>(x);
        ys.Fill(float.NaN);
        using var pipeline = Device.CreateComputePipeline("vk_test_affine", storageBuffers: 2, pushConstantBytes: 12, [workgroup]);
        using var set = pipeline.CreateDescriptorSet(xs, ys);
        Device.Submit(c => c.Dispatch(pipeline, set, new AffinePush((uint)n, 2f, 0.5f), (uint)((n + workgroup - 1) / workgroup)));
        return ys.ReadToHost<float>(outputLength);
    }

    [TestCase(1u, MemoryPlacement.Auto)]
    [TestCase(64u, MemoryPlacement.Auto)]
    [TestCase(256u, MemoryPlacement.DeviceLocal)]
    public void ComputeShaderMatchesItsReference(uint workgroup, MemoryPlacement placement)
    {
        const int n = 1000, length = 1100;
        var x = RandomFloats(n, 2);
        var y = RunAffine(x, n, length, workgroup, placement);
        for (var i = 0; i < n; i++)
            Assert.That(y[i], Is.EqualTo(2f * x[i] + 0.5f), $"y[{i}]");
        Assert.That(y[n..].All(float.IsNaN), "elements past n must stay unwritten");
    }

    [Test]
    public void ARecordedCommandBufferRunsAgainOnEverySubmit()
    {
        using var ys = Device.CreateBuffer(256 * 4);
        ys.Fill(0f);
        using var pipeline = Device.CreateComputePipeline("vk_test_accumulate", 1, 4);
        using var set = pipeline.CreateDescriptorSet(ys);
        using var commands = Device.CreateCommandBuffer();
        commands.Begin();
        commands.Dispatch(pipeline, set, 256u, 4);
        commands.Barrier();
        commands.Dispatch(pipeline, set, 256u, 4);
        commands.End();
        for (var i = 0; i < 3; i++) commands.SubmitAndWait();
        Assert.That(ys.ReadToHost<float>(256).All(v => v == 6f));
    }

    [Test]
    public void SlicesOfOneBufferBindSeparately()
    {
        var align = (int)Math.Max(4, Device.StorageBufferOffsetAlignment);
        var n = align / 4 * 3;   // three aligned slices of `n/3` floats each… use the second as output
        using var buffer = Device.CreateBuffer(n * 4L);
        var x = RandomFloats(n, 3);
        buffer.Upload<float>(x);
        using var pipeline = Device.CreateComputePipeline("vk_test_affine", 2, 12, [32]);
        var third = n / 3;
        using var set = pipeline.CreateDescriptorSet(new BufferBinding(buffer, 0, third * 4L), new BufferBinding(buffer, third * 4L, third * 4L));
        Device.Submit(c => c.Dispatch(pipeline, set, new AffinePush((uint)third, -1f, 1f), (uint)((third + 31) / 32)));
        var y = buffer.ReadToHost<float>(n);
        for (var i = 0; i < third; i++) Assert.That(y[third + i], Is.EqualTo(1f - x[i]));
        Assert.That(y[(2 * third)..], Is.EqualTo(x[(2 * third)..]));
    }

    [Test]
    public void ABindingOverMaxStorageBufferRangeIsRefusedWithAHint()
    {
        var limit = Device.MaxStorageBufferRange;
        using var big = Device.CreateBuffer(limit + Device.StorageBufferOffsetAlignment * 2);
        using var pipeline = Device.CreateComputePipeline("vk_test_accumulate", 1, 4);
        var e = Assert.Throws<ArgumentException>(() => pipeline.CreateDescriptorSet(big))!;
        Assert.That(e.Message, Does.Contain("maxStorageBufferRange").And.Contain("split"));
        using var within = pipeline.CreateDescriptorSet(new BufferBinding(big, Device.StorageBufferOffsetAlignment, limit));
        Assert.That(within.IsDisposed, Is.False);
    }

    [Test]
    public void MisuseIsRefusedBeforeReachingTheDriver()
    {
        using var buffer = Device.CreateBuffer(1024);
        using var pipeline = Device.CreateComputePipeline("vk_test_affine", 2, 12, [64]);
        if (Device.StorageBufferOffsetAlignment > 1)
            Assert.That(() => pipeline.CreateDescriptorSet(new BufferBinding(buffer, 2, 64), buffer),
                Throws.ArgumentException.With.Message.Contains("minStorageBufferOffsetAlignment"));
        Assert.That(() => pipeline.CreateDescriptorSet(buffer), Throws.ArgumentException.With.Message.Contains("1 buffers given for 2"));
        using var set = pipeline.CreateDescriptorSet(buffer, buffer);
        using var commands = Device.CreateCommandBuffer();
        commands.Begin();
        Assert.That(() => commands.Dispatch(pipeline, set, 1u, 1), Throws.ArgumentException.With.Message.Contains("push constants"));
        Assert.That(() => commands.Dispatch(pipeline, set, new AffinePush(1, 1, 1), 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        commands.End();
        Assert.That(() => Device.CreateComputePipeline("vk_test_affine", 2, 6), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void AMissingShaderFileIsAUserErrorNamingTheFile()
    {
        var e = Assert.Throws<UserError>(() => Device.CreateComputePipeline("no_such_shader", 1, 0))!;
        Assert.That(e.Message, Does.Contain(Path.Combine("shaders", "no_such_shader.spv")).And.Contain("glslc"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingDependency));
    }

    [Test]
    public void AFileThatIsNotSpirvIsAUserError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wejepa-not-spirv-{Environment.ProcessId}.spv");
        File.WriteAllText(path, "#version 450 — GLSL source, not SPIR-V");
        try
        {
            var e = Assert.Throws<UserError>(() => ShaderFiles.LoadFile(path))!;
            Assert.That(e.Message, Does.Contain(path).And.Contain("not SPIR-V"));
        }
        finally { File.Delete(path); }
    }
}
