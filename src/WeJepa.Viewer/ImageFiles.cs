using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors.Quantization;
using WeJepa.Core.IO;

namespace WeJepa.Viewer;

/// <summary>Screenshots (PNG) and recordings (GIF) of composed frames, written whole or not at all (temp + rename).</summary>
public static class ImageFiles
{
    /// <param name="rgb">Interleaved RGB bytes, (height, width, 3).</param>
    public static void WritePng(string path, byte[] rgb, int width, int height)
    {
        using var image = Image.LoadPixelData<Rgb24>(rgb, width, height);
        AtomicFile.Write(path, stream => image.Save(stream, new PngEncoder()));
    }

    /// <summary>Collects frames and writes one looping GIF (each frame shown <see cref="FrameDelayCs"/> hundredths of a second).</summary>
    public sealed class GifRecording(int width, int height, int frameDelayCs) : IDisposable
    {
        private readonly Image<Rgb24> gif = new(width, height);
        private int frames;

        public int FrameDelayCs { get; } = frameDelayCs;
        public int Frames => frames;

        public void Add(byte[] rgb)
        {
            using var frame = Image.LoadPixelData<Rgb24>(rgb, width, height);
            frame.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = FrameDelayCs;
            if (frames == 0)
            {
                frame.Frames.RootFrame.ProcessPixelRows(gif.Frames.RootFrame, (source, target) =>
                {
                    for (var y = 0; y < source.Height; y++) source.GetRowSpan(y).CopyTo(target.GetRowSpan(y));
                });
                gif.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = FrameDelayCs;
            }
            else gif.Frames.AddFrame(frame.Frames.RootFrame);
            frames++;
        }

        public void Save(string path)
        {
            gif.Metadata.GetGifMetadata().RepeatCount = 0;   // loop forever
            // Flat colours: one global palette, no dithering (dither noise would defeat the LZW compression).
            var encoder = new GifEncoder
            {
                ColorTableMode = GifColorTableMode.Global,
                Quantizer = new OctreeQuantizer(new QuantizerOptions { Dither = null, MaxColors = 64 }),
            };
            AtomicFile.Write(path, stream => gif.SaveAsGif(stream, encoder));
        }

        public void Dispose() => gif.Dispose();
    }
}
