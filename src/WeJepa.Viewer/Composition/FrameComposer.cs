using System.Runtime.InteropServices;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;

namespace WeJepa.Viewer.Composition;

/// <summary>
/// Draws one window image on the device: render.comp renders the 2K pendulum tiles (K true, then K
/// learned) from a states buffer that is already on the device, then compose.comp places them in the
/// grid and draws the HUD panel, the strip chart and the text into <see cref="Image"/> (B8G8R8A8
/// words), which the presenter copies into the swapchain image or the host reads for a file. Buffers
/// are rebuilt when the layout changes (a resize).
/// Only what changed is drawn: after one full frame, each frame renders and composes just the part of each
/// tile where a pendulum is or was (<see cref="ChangedRegions"/>: render.comp through a camera on that part),
/// and recomposes the HUD band below the tiles; the rest of the image stays from earlier frames. A new layout,
/// a change of the text over the tiles (labels, help) or sensor noise (every pixel changes) draws a full frame.
/// </summary>
public sealed class FrameComposer : IDisposable
{
    private readonly VulkanDevice device;
    private readonly RenderSpec sceneSpec;
    private readonly ComputePipeline pipeline, rectPipeline;
    private readonly DeviceBuffer font;
    private readonly DeviceBuffer looks;
    private readonly float[] lengthScales;
    private readonly ChangedRegions changed = new();
    private readonly uint[] rectOrigins;
    private byte[] tileText = [];
    private float[] host = [];   // (2K, S) host states of this frame: where the pendulums are
    private GpuRenderer? renderer;
    private DeviceBuffer? frames, text, chart, image, rects;
    private DescriptorSet? set, rectSet;

    public ViewLayout Layout { get; private set; }
    public ViewColors Colors { get; }
    /// <summary>The composed image, (Height, <see cref="ViewLayout.Stride"/>) B8G8R8A8 words.</summary>
    public DeviceBuffer Image => image!;
    public TextGrid Text { get; private set; } = null!;
    public EnergyChart Chart { get; private set; } = null!;

    /// <param name="spec">The scene's render spec; its size is replaced by the layout's tile size.</param>
    /// <param name="lengthScales">Per-pair rod-length factors (the true system's; the learned pendulum is drawn the same).</param>
    public FrameComposer(VulkanDevice device, RenderSpec spec, ReadOnlySpan<float> lengthScales, int width, int height, ViewColors? colors = null)
    {
        this.device = device;
        sceneSpec = spec;
        Colors = colors ?? new ViewColors();
        var pairs = lengthScales.Length;
        this.lengthScales = lengthScales.ToArray();
        rectOrigins = new uint[2 * 2 * pairs];
        pipeline = device.CreateComputePipeline("compose", storageBuffers: 6, pushConstantBytes: Marshal.SizeOf<ComposePush>(), [ComposePush.ImageRows]);
        rectPipeline = device.CreateComputePipeline("compose", storageBuffers: 6, pushConstantBytes: Marshal.SizeOf<ComposePush>(), [ComposePush.TileRects]);
        font = device.CreateBuffer(4L * 256);
        font.Upload<uint>(BitmapFont.Atlas());
        // Looks of the 2K tiles: the scene's for the true pendulums, the learned colour for the learned bobs.
        var trueLooks = EnvLooks.Draw(spec, 0, lengthScales);
        var all = new float[2 * trueLooks.Length];
        trueLooks.CopyTo(all, 0);
        trueLooks.CopyTo(all, trueLooks.Length);
        var (r, g, b) = ViewColors.Rgb(Colors.Learned);
        for (var e = pairs; e < 2 * pairs; e++)
        {
            all[e * EnvLooks.FloatsPerEnv + 6] = (float)r;
            all[e * EnvLooks.FloatsPerEnv + 7] = (float)g;
            all[e * EnvLooks.FloatsPerEnv + 8] = (float)b;
        }
        looks = device.CreateBuffer(4L * all.Length);
        looks.Upload<float>(all);
        Layout = ViewLayout.For(width, height, pairs);
        Build();
    }

    /// <summary>The render spec of one tile at the current layout (the scene's camera scaled to the tile size).</summary>
    public RenderSpec TileSpec => renderer!.Spec;

    /// <summary>Rebuilds the buffers for a new image size; a no-op when the size is unchanged.</summary>
    public void Resize(int width, int height)
    {
        if (width == Layout.Width && height == Layout.Height) return;
        Layout = ViewLayout.For(width, height, Layout.Pairs);
        Build();
    }

    /// <summary>Frames drawn whole since the last <see cref="Build"/> (the others drew only what changed).</summary>
    public int FullFrames { get; private set; }

    /// <summary>The next frame is drawn whole (tests compare both ways of drawing).</summary>
    public void Invalidate() => changed.Invalidate();

    /// <summary>
    /// Records the render of <paramref name="states"/> ((2K, S) float32: K true, then K learned; the host's copies
    /// are <paramref name="trueStates"/> and <paramref name="learnedStates"/>, which say where the pendulums are) and
    /// the composition, after uploading this frame's text and chart. Dispose the result after the commands completed.
    /// </summary>
    public IDisposable Record(CommandBuffer commands, DeviceBuffer states, ReadOnlySpan<float> trueStates, ReadOnlySpan<float> learnedStates)
    {
        text!.Upload<byte>(Text.Bytes);
        chart!.Upload<float>(Chart.Scaled());
        if (host.Length != trueStates.Length + learnedStates.Length) host = new float[trueStates.Length + learnedStates.Length];
        trueStates.CopyTo(host);
        learnedStates.CopyTo(host.AsSpan(trueStates.Length));
        var spec = renderer!.Spec;
        var push = ComposePush.Of(Layout, Chart.Head, Colors);
        var indexing = new FrameIndexing(FramesPerEnv: 1);
        var tiles = 2 * Layout.Pairs;
        var textChanged = TileTextChanged();   // always: it also remembers this frame's text
        if (!changed.Known || spec.NoiseStddev > 0 || textChanged)
        {
            var whole = renderer.Record(commands, states, looks, indexing, 0, tiles, frames!, 0, FrameFormat.UInt8);
            commands.Barrier();
            // compose.comp: 16×4 invocations per workgroup, each a quad of 4 pixels in a row.
            commands.Dispatch(pipeline, set!, push, (uint)((Layout.Stride / 4 + 15) / 16), (uint)((Layout.Height + 3) / 4));
            changed.DrewAll(spec, host, lengthScales);
            FullFrames++;
            return whole;
        }
        var boxes = changed.Next(spec, host, lengthScales);
        // One rectangle size for every tile (each placed at its own box, kept inside its tile).
        int w = boxes.Max(b => b.Width), h = boxes.Max(b => b.Height);
        long slot = RectSlotBytes(w, h);
        var jobs = new Jobs();
        var pixel = spec.Scale / spec.Width;
        for (var t = 0; t < tiles; t++)
        {
            int x0 = Math.Min(boxes[t].X0, spec.Width - w), y0 = Math.Min(boxes[t].Y0, spec.Height - h);
            var (tx, ty) = Layout.TileOrigin(t % Layout.Pairs, learned: t >= Layout.Pairs);
            (rectOrigins[2 * t], rectOrigins[2 * t + 1]) = ((uint)(tx + x0), (uint)(ty + y0));
            // The same pixels as the whole tile's: pixel size kept, the camera centred on the rectangle.
            var camera = spec with
            {
                Width = w, Height = h, Scale = pixel * w,
                CenterX = spec.CenterX + (x0 + 0.5f * w - 0.5f * spec.Width) * pixel,
                CenterY = spec.CenterY - (y0 + 0.5f * h - 0.5f * spec.Height) * pixel,
            };
            jobs.Add(renderer.Record(commands, states, looks, indexing, t, 1, frames!, t * slot, FrameFormat.UInt8, camera));
        }
        rects!.Upload<uint>(rectOrigins);
        commands.Barrier();
        var rectPush = push with { RectW = (uint)w, RectH = (uint)h, RectWords = (uint)(slot / 4) };
        commands.Dispatch(rectPipeline, rectSet!, rectPush, (uint)((w / 4 + 15) / 16), (uint)((h + 3) / 4), (uint)tiles);
        // The HUD band: its text and chart change every frame.
        var hudPush = push with { FirstRow = (uint)Layout.HudTop };
        commands.Dispatch(pipeline, set!, hudPush, (uint)((Layout.Stride / 4 + 15) / 16), (uint)((Layout.Height - Layout.HudTop + 3) / 4));
        return jobs;
    }

    /// <summary>Bytes between two tiles' rectangles in the frames buffer: one w×h uint8 frame, kept aligned for its binding offset.</summary>
    private long RectSlotBytes(int w, int h)
    {
        long align = Math.Max(4, device.StorageBufferOffsetAlignment);
        return (3L * w * h + align - 1) / align * align;
    }

    /// <summary>True when the text over the tiles (rows above the HUD) differs from the last frame's: then the whole image is redrawn.</summary>
    private bool TileTextChanged()
    {
        var rows = Text.Bytes.Slice(TextGrid.FlagBytes, Math.Min(Text.Bytes.Length - TextGrid.FlagBytes, Layout.HudRow * Text.Cols));
        if (rows.SequenceEqual(tileText)) return false;
        tileText = rows.ToArray();
        return true;
    }

    /// <summary>The render jobs of one frame, disposed together.</summary>
    private sealed class Jobs : List<RenderJob>, IDisposable
    {
        public void Dispose()
        {
            foreach (var job in this) job.Dispose();
        }
    }

    /// <summary>Explicit host read of the composed image as interleaved RGB bytes (screenshots, GIF frames).</summary>
    public byte[] ReadRgb()
    {
        var (width, stride) = (Layout.Width, Layout.Stride);
        var words = image!.ReadToHost<uint>(stride * Layout.Height);
        var rgb = new byte[3 * width * Layout.Height];
        for (var y = 0; y < Layout.Height; y++)
            for (var x = 0; x < width; x++)
            {
                var (w, i) = (words[y * stride + x], y * width + x);
                rgb[3 * i] = (byte)(w >> 16);
                rgb[3 * i + 1] = (byte)(w >> 8);
                rgb[3 * i + 2] = (byte)w;
            }
        return rgb;
    }

    private void Build()
    {
        DisposeSized();
        var l = Layout;
        renderer = new GpuRenderer(device, sceneSpec with
        {
            Width = l.Tile, Height = l.Tile,
            // Keep the scene's framing: the same world span across the tile whatever its pixel size.
        });
        // Whole frames, or (in frames that draw only what changed) one aligned slot per tile's rectangle.
        frames = device.CreateBuffer(Math.Max(renderer.FrameBytes(FrameFormat.UInt8), RectSlotBytes(l.Tile, l.Tile)) * 2 * l.Pairs);
        Text = new TextGrid(l.TextCols, l.TextRows);
        text = device.CreateBuffer(Text.Bytes.Length);
        Chart = new EnergyChart(l.ChartW);
        chart = device.CreateBuffer(8L * Chart.Capacity);
        image = device.CreateBuffer(4L * l.Stride * l.Height);
        rects = device.CreateBuffer(4L * rectOrigins.Length);
        set = pipeline.CreateDescriptorSet(frames, text, font, chart, image, rects);
        rectSet = rectPipeline.CreateDescriptorSet(frames, text, font, chart, image, rects);
        changed.Invalidate();
        tileText = [];
    }

    private void DisposeSized()
    {
        set?.Dispose();
        rectSet?.Dispose();
        rects?.Dispose();
        renderer?.Dispose();
        frames?.Dispose();
        text?.Dispose();
        chart?.Dispose();
        image?.Dispose();
    }

    public void Dispose()
    {
        DisposeSized();
        looks.Dispose();
        font.Dispose();
        pipeline.Dispose();
        rectPipeline.Dispose();
    }
}
