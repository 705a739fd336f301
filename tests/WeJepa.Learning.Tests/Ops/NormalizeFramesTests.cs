using ILGPU.Runtime;
using WeJepa.Learning.Tests.References;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Ops;

/// <summary>uint8 frames (B,3,H,W) to normalised float32 in one op: reference, PyTorch, bad input.</summary>
public class NormalizeFramesTests(DeviceSpec spec) : DeviceTest(spec)
{
    const string File = "ops.safetensors";
    static readonly float[] Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f];

    [TestCase(2, 3, 4, 5)]
    [TestCase(3, 3, 17, 9)] // planes that are not SIMD multiples
    [TestCase(1, 1, 2, 2)]
    public void MatchesReference(int b, int c, int h, int w)
    {
        var bytes = Enumerable.Range(0, b * c * h * w).Select(i => (byte)(i * 37 % 256)).ToArray();
        bytes[0] = 0;
        bytes[^1] = 255;
        var (mean, std) = (Mean[..c], Std[..c]);
        var y = Learning.Ops.NormalizeFrames(Tensor.FromArray(Device, bytes, b, c, h, w), mean, std);
        Assert.That(y.DType, Is.EqualTo(DType.Float32));
        Assert.That(y.Shape, Is.EqualTo(new[] { b, c, h, w }));
        Check.Close(y, NormalizeFramesReference.Forward(bytes, mean.Select(v => (double)v).ToArray(), std.Select(v => (double)v).ToArray(), c, h * w),
            1e-6, 1e-6, "normalize_frames vs reference");
    }

    [Test]
    public void MatchesPyTorch()
    {
        var frames = Fixtures.Load(File).Get(File, "normalize_frames.frames");
        var bytes = frames.ToInt64().Select(v => checked((byte)v)).ToArray();
        var mean = Fixtures.Values(File, "normalize_frames.mean").Select(v => (float)v).ToArray();
        var std = Fixtures.Values(File, "normalize_frames.std").Select(v => (float)v).ToArray();
        var y = Learning.Ops.NormalizeFrames(Tensor.FromArray(Device, bytes, frames.ShapeAsInt()), mean, std);
        Check.Close(y, Fixtures.Values(File, "normalize_frames.y"), 1e-6, 1e-6, "normalize_frames vs PyTorch");
    }

    [Test]
    public void WrappedFrameMemoryIsNormalisedInPlaceOfACopyAndNeverFreed()
    {
        // stands in for a simulator's mapped frame buffer: foreign memory, owned by its creator
        var bytes = Enumerable.Range(0, 2 * 3 * 2 * 2).Select(i => (byte)(i * 11)).ToArray();
        using var foreign = Device.Accelerator.Allocate1D<byte>(bytes.Length);
        foreign.CopyFromCPU(bytes);
        var frames = Tensor.Wrap(Device, foreign.View, 2, 3, 2, 2);
        var y = Learning.Ops.NormalizeFrames(frames, Mean, Std);
        Check.Close(y, NormalizeFramesReference.Forward(bytes, Mean.Select(v => (double)v).ToArray(), Std.Select(v => (double)v).ToArray(), 3, 4),
            1e-6, 1e-6, "normalize_frames over wrapped memory");
        frames.Dispose();
        Assert.That(foreign.GetAsArray1D(), Is.EqualTo(bytes), "disposing the wrapping tensor leaves the memory to its owner");
        Assert.That(() => Tensor.Wrap(Device, foreign.View, 2, 3, 2, 3), Throws.TypeOf<ShapeError>().With.Message.Contains("uint8"));
    }

    [Test]
    public void BadInputNamesTheOp()
    {
        var floats = T([1, 2, 3, 4], 1, 1, 2, 2);
        Assert.That(() => Learning.Ops.NormalizeFrames(floats, [0f], [1f]), Throws.TypeOf<ShapeError>().With.Message.Contains("normalize_frames").And.Message.Contains("uint8"));
        var frames = Tensor.FromArray(Device, new byte[12], 1, 3, 2, 2);
        Assert.That(() => Learning.Ops.NormalizeFrames(frames, [0f], [1f]), Throws.TypeOf<ShapeError>().With.Message.Contains("3 channels"));
        Assert.That(() => Learning.Ops.NormalizeFrames(frames, Mean, [1f, 0f, 1f]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("channel 1"));
    }

    [Test]
    public void Int32AndUInt8TensorsRoundTrip()
    {
        var ints = Tensor.FromArray(Device, [-3, 0, int.MaxValue, 7], 2, 2);
        Assert.That(ints.ToInt32Array(), Is.EqualTo(new[] { -3, 0, int.MaxValue, 7 }));
        Assert.That(ints.DType, Is.EqualTo(DType.Int32));
        var bytes = Tensor.FromArray(Device, new byte[] { 0, 128, 255 }, 3);
        Assert.That(bytes.ToUInt8Array(), Is.EqualTo(new byte[] { 0, 128, 255 }));
        Assert.That(() => bytes.ToArray(), Throws.InvalidOperationException.With.Message.Contains("uint8"));
        var copy = Tensor.Empty(Device, DType.UInt8, 3);
        copy.CopyFrom(bytes);
        Assert.That(copy.ToUInt8Array(), Is.EqualTo(new byte[] { 0, 128, 255 }));
        Assert.That(() => copy.CopyFrom(ints), Throws.TypeOf<ShapeError>());
        // new buffers carry the test sentinel for their type, so an unwritten element shows
        Assert.That(Tensor.Empty(Device, DType.Int32, 2).ToInt32Array(), Is.All.EqualTo(int.MinValue));
        Assert.That(Tensor.Empty(Device, DType.UInt8, 2).ToUInt8Array(), Is.All.EqualTo((byte)0xCD));
    }
}
