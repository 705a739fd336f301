using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>uint8 frames to normalised float32 in one pass: kernel and host twin.</summary>
public static class NormalizeFramesKernels
{
    /// <summary>
    /// y[b,c,h,w] = x[b,c,h,w]·scale[c] + shift[c], scale = 1/(255·std), shift = −mean/std. x is (B,C,H,W) uint8,
    /// y the same shape float32, affine is (2C): scale then shift; plane = H·W.
    /// </summary>
    [Kernel]
    public static void Normalize(int total, int channels, int plane, ArrayView<byte> x, ArrayView<float> affine, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < total; i += GridStride.Step)
        {
            int c = i / plane % channels;
            y[i] = x[i] * affine[c] + affine[channels + c];
        }
    }

    /// <summary>The host path, one plane (one channel of one frame) at a time.</summary>
    public static void NormalizeHost(int planes, int channels, int plane, ReadOnlySpan<float> affine, nint x, nint y)
    {
        var (scale, shift) = (affine[..channels].ToArray(), affine[channels..].ToArray());
        HostLoops.ForRows(planes, plane, (start, count) =>
        {
            for (int p = start; p < start + count; p++)
            {
                unsafe
                {
                    var src = new ReadOnlySpan<byte>((byte*)x + (long)p * plane, plane);
                    var dst = new Span<float>((float*)y + (long)p * plane, plane);
                    float s = scale[p % channels], t = shift[p % channels];
                    for (int i = 0; i < plane; i++) dst[i] = src[i] * s + t;
                }
            }
        });
    }
}

public static partial class Ops
{
    /// <summary>
    /// Frames as rendered, (B,C,H,W) uint8, to the network's input (B,C,H,W) float32: (x/255 − mean[c])/std[c], in one
    /// fused pass (torchvision's <c>ToTensor</c> + <c>Normalize</c>). Not differentiable (its input is integer data).
    /// </summary>
    public static unsafe Tensor NormalizeFrames(Tensor frames, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (frames.DType != DType.UInt8 || frames.Rank != 4)
            throw new ShapeError($"normalize_frames: frames must be (B, C, H, W) uint8, got {frames.DType.Name()} {Shapes.Format(frames.Shape)}");
        int C = frames.Shape[1], plane = frames.Shape[2] * frames.Shape[3];
        if (mean.Length != C || std.Length != C)
            throw new ShapeError($"normalize_frames: frames have {C} channels but mean has {mean.Length} and std {std.Length} values");
        var affine = new float[2 * C];
        for (int c = 0; c < C; c++)
        {
            if (!(std[c] > 0) || !float.IsFinite(std[c]) || !float.IsFinite(mean[c]))
                throw new ArgumentOutOfRangeException(nameof(std), $"normalize_frames: channel {c} has mean {mean[c]} and std {std[c]} (std must be a positive finite number)");
            affine[c] = 1f / (255f * std[c]);
            affine[C + c] = -mean[c] / std[c];
        }
        var device = frames.Device;
        var y = Tensor.Empty(device, frames.Shape);
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            fixed (byte* x = device.HostSpan(frames.UInt8View))
                NormalizeFramesKernels.NormalizeHost(frames.Shape[0] * C, C, plane, affine, (nint)x, (nint)FusedOps.Host(y));
        }
        else
        {
            // Freed right after the launch is queued: the pool hands it out again only in stream order (after this kernel).
            using var constants = Tensor.EmptyUnscoped(device, 2 * C);
            constants.CopyFrom(affine);
            device.Launch(NormalizeFramesKernels.Normalize, y.Length, y.Length, C, plane, frames.UInt8View, constants.View, y.View);
        }
        return Tape.Record("normalize_frames", y, [], (_, _) => []);
    }
}
