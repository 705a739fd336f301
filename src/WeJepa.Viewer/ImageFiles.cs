using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors.Quantization;
using WeJepa.Core.IO;

namespace WeJepa.Viewer;

/// <summary>Recordings (GIF) of composed frames, written whole or not at all (temp + rename); screenshots are <see cref="PngFile"/>.</summary>
public static class ImageFiles
{
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
