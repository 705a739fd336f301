using System.Runtime.InteropServices;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;

namespace WeJepa.Simulation.Gpu;

/// <summary>Element type of rendered frames.</summary>
public enum FrameFormat
{
    /// <summary>float32 in [0, 1], (N, 3, H, W): what training reads.</summary>
    Float32 = 0,
    /// <summary>uint8 0..255, (N, 3, H, W): what datasets store.</summary>
    UInt8 = 1,
}

/// <summary>
/// Renders batches of frames with <c>shaders/render.comp</c> from a states buffer that is already on
/// the device (the physics' output), into an output buffer that stays on the device: reading frames
/// on the host is a separate, explicit <see cref="DeviceBuffer.ReadToHost{T}(Span{T}, long)"/>. A batch
/// whose output is larger than one storage-buffer binding (128 MiB on lavapipe) is split into
/// several dispatches over slices of the output buffer.
/// </summary>
public sealed class GpuRenderer : IDisposable
{
    private const long MaxFramesPerDispatch = 65535;   // the guaranteed minimum of maxComputeWorkGroupCount[1]
    private readonly ComputePipeline?[] _pipelines = new ComputePipeline?[2];   // per FrameFormat, made on first use

    public VulkanDevice Device { get; }
    public RenderSpec Spec { get; }

    /// <summary>Largest output slice one dispatch binds; the device limit unless lowered (tests split small batches).</summary>
    public long MaxBindingBytes { get; init; }

    /// <summary>Invocations per workgroup (4 pixels each): render.comp's local_size_x, a specialisation constant.</summary>
    public int WorkgroupSize { get; }

    public GpuRenderer(VulkanDevice device, RenderSpec spec, int workgroupSize = 64)
    {
        spec.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(workgroupSize, 1);
        Device = device;
        Spec = spec;
        WorkgroupSize = workgroupSize;
        MaxBindingBytes = device.MaxStorageBufferRange;
        ShaderFiles.Load("render");   // fail early on a missing shader file (UserError), not at the first render
    }

    /// <summary>render.comp specialised for this spec and format (see its specialisation constants).</summary>
    private ComputePipeline Pipeline(FrameFormat format) => _pipelines[(int)format] ??= Device.CreateComputePipeline("render",
        storageBuffers: 3, pushConstantBytes: Marshal.SizeOf<RenderPush>(),
        [(uint)WorkgroupSize, (uint)Spec.Links, Spec.NoiseStddev > 0 ? 1u : 0u, (uint)format]);

    /// <summary>Bytes of one frame (3, H, W) in <paramref name="format"/>.</summary>
    public long FrameBytes(FrameFormat format) => (long)Spec.FrameFloats * (format == FrameFormat.Float32 ? 4 : 1);

    /// <summary>
    /// The most frames one dispatch renders: its output fits one binding, its byte size keeps the next
    /// slice's offset aligned, and its workgroups fit maxComputeWorkGroupCount.
    /// </summary>
    public int FramesPerDispatch(FrameFormat format)
    {
        long frameBytes = FrameBytes(format), align = Device.StorageBufferOffsetAlignment;
        long step = align / (long)GreatestCommonDivisor((ulong)frameBytes, (ulong)align);   // frames per aligned unit
        long byBinding = Math.Min(MaxBindingBytes, Device.MaxStorageBufferRange) / frameBytes / step * step;
        long byGroups = MaxFramesPerDispatch / step * step;   // frames are the grid's y
        long frames = Math.Min(byBinding, byGroups);
        if (frames < 1)
            throw new ArgumentException($"one {Spec.Width}x{Spec.Height} frame ({frameBytes} bytes as {format}) does not fit one storage binding of {MaxBindingBytes} bytes");
        return (int)Math.Min(frames, int.MaxValue);
    }

    /// <summary>
    /// Records the dispatches rendering frames <paramref name="firstFrame"/> .. +<paramref name="frameCount"/>
    /// of a batch into <paramref name="output"/> at <paramref name="outputOffset"/> (aligned to
    /// minStorageBufferOffsetAlignment). <paramref name="states"/> holds the batch's states (N, S) float32,
    /// <paramref name="looks"/> its per-env looks (N / FramesPerEnv, 16) (<see cref="EnvLooks"/>).
    /// Returns the descriptor sets the recording uses: dispose them after the commands completed.
    /// <paramref name="camera"/> draws the same scene through another camera (size and framing; e.g. the viewer's
    /// changed part of a frame); it must keep this spec's links and noise, which the pipeline is specialised for.
    /// </summary>
    public RenderJob Record(CommandBuffer commands, DeviceBuffer states, DeviceBuffer looks, FrameIndexing indexing,
        int firstFrame, int frameCount, DeviceBuffer output, long outputOffset, FrameFormat format, RenderSpec? camera = null)
    {
        indexing.Validate();
        var view = camera ?? Spec;
        if (camera is not null)
        {
            camera.Validate();
            if (camera.Links != Spec.Links || (camera.NoiseStddev > 0) != (Spec.NoiseStddev > 0))
                throw new ArgumentException("render: a camera must keep the renderer's links and noise (its pipeline's specialisation)");
        }
        long frameBytes = (long)view.FrameFloats * (format == FrameFormat.Float32 ? 4 : 1);
        long stateBytes = (long)(firstFrame + frameCount) * Spec.StateSize * 4;
        if (firstFrame < 0 || frameCount < 1) throw new ArgumentOutOfRangeException(nameof(frameCount), $"frames {firstFrame}..+{frameCount}");
        if (stateBytes > states.SizeBytes) throw new ArgumentException($"render: states buffer of {states.SizeBytes} bytes holds fewer than {firstFrame + frameCount} frames of S={Spec.StateSize}");
        if (outputOffset + frameCount * frameBytes > output.SizeBytes) throw new ArgumentException($"render: output buffer of {output.SizeBytes} bytes is too small for {frameCount} frames at offset {outputOffset}");
        int envs = indexing.LocalEnv(firstFrame + frameCount - 1) + 1;
        if ((long)envs * EnvLooks.FloatsPerEnv * 4 > looks.SizeBytes) throw new ArgumentException($"render: looks buffer holds fewer than {envs} environments");

        var stateBinding = new BufferBinding(states, 0, Math.Min(states.SizeBytes, Device.MaxStorageBufferRange));
        var lookBinding = new BufferBinding(looks, 0, Math.Min(looks.SizeBytes, Device.MaxStorageBufferRange));
        if (stateBytes > stateBinding.Size) throw new ArgumentException($"render: {firstFrame + frameCount} states exceed one storage binding");

        var pipeline = Pipeline(format);
        var job = new RenderJob();
        int perDispatch = camera is null ? FramesPerDispatch(format) : frameCount;
        uint groupsX = (uint)((view.Width / 4 * view.Height + WorkgroupSize - 1) / WorkgroupSize);
        for (int done = 0; done < frameCount; done += perDispatch)
        {
            int n = Math.Min(perDispatch, frameCount - done);
            var set = pipeline.CreateDescriptorSet(stateBinding, lookBinding, new BufferBinding(output, outputOffset + done * frameBytes, n * frameBytes));
            job.Sets.Add(set);
            var push = RenderPush.Of(view, indexing, (uint)(firstFrame + done), (uint)n);
            commands.Dispatch(pipeline, set, push, groupsX, (uint)n);
        }
        return job;
    }

    /// <summary>Renders and waits: the convenience form of <see cref="Record"/>.</summary>
    public void Render(DeviceBuffer states, DeviceBuffer looks, FrameIndexing indexing, int firstFrame, int frameCount,
        DeviceBuffer output, long outputOffset, FrameFormat format)
    {
        using var commands = Device.CreateCommandBuffer();
        commands.Begin();
        using var job = Record(commands, states, looks, indexing, firstFrame, frameCount, output, outputOffset, format);
        commands.End();
        commands.SubmitAndWait();
    }

    public void Dispose()
    {
        foreach (var pipeline in _pipelines) pipeline?.Dispose();
        Array.Clear(_pipelines);
    }

    private static ulong GreatestCommonDivisor(ulong a, ulong b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}

/// <summary>The descriptor sets of a recorded render; dispose after the command buffer completed.</summary>
public sealed class RenderJob : IDisposable
{
    internal List<DescriptorSet> Sets { get; } = [];

    /// <summary>Dispatches recorded (one per storage-binding slice).</summary>
    public int Dispatches => Sets.Count;

    public void Dispose()
    {
        foreach (var set in Sets) set.Dispose();
        Sets.Clear();
    }
}

/// <summary>The push-constant block of render.comp (field order and types as declared there).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RenderPush
{
    public uint Width, Height;
    public float Scale, CenterX, CenterY;
    public float RodWidth, BobRadius, PivotRadius;
    public float Length1, Length2;
    public float NoiseStddev;
    public uint SeedLo, SeedHi;
    public uint FramesPerEnv, EnvBase, TimeBase;
    public uint FrameStart, FrameCount;

    public static RenderPush Of(RenderSpec s, FrameIndexing indexing, uint frameStart, uint frameCount) => new()
    {
        Width = (uint)s.Width, Height = (uint)s.Height, Scale = s.Scale, CenterX = s.CenterX, CenterY = s.CenterY,
        RodWidth = s.RodWidth, BobRadius = s.BobRadius, PivotRadius = s.PivotRadius, Length1 = s.Length1, Length2 = s.Length2,
        NoiseStddev = s.NoiseStddev,
        SeedLo = (uint)s.Seed, SeedHi = (uint)(s.Seed >> 32),
        FramesPerEnv = (uint)indexing.FramesPerEnv, EnvBase = indexing.EnvBase, TimeBase = indexing.TimeBase,
        FrameStart = frameStart, FrameCount = frameCount,
    };
}
