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
/// </summary>
public sealed class FrameComposer : IDisposable
{
    private readonly VulkanDevice device;
    private readonly RenderSpec sceneSpec;
    private readonly ComputePipeline pipeline;
    private readonly DeviceBuffer font;
    private readonly DeviceBuffer looks;
    private GpuRenderer? renderer;
    private DeviceBuffer? frames, text, chart, image;
    private DescriptorSet? set;

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
        pipeline = device.CreateComputePipeline("compose", storageBuffers: 5, pushConstantBytes: Marshal.SizeOf<ComposePush>());
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

    /// <summary>
    /// Records the render of <paramref name="states"/> ((2K, S) float32: K true, then K learned) and the
    /// composition, after uploading this frame's text and chart. The command buffer must not be pending.
    /// </summary>
    public RenderJob Record(CommandBuffer commands, DeviceBuffer states)
    {
        text!.Upload<byte>(Text.Bytes);
        chart!.Upload<float>(Chart.Scaled());
        var job = renderer!.Record(commands, states, looks, new FrameIndexing(FramesPerEnv: 1), 0, 2 * Layout.Pairs, frames!, 0, FrameFormat.UInt8);
        commands.Barrier();
        var push = ComposePush.Of(Layout, Chart.Head, Colors);
        // compose.comp: 16×4 invocations per workgroup, each a quad of 4 pixels in a row.
        commands.Dispatch(pipeline, set!, push, (uint)((Layout.Stride / 4 + 15) / 16), (uint)((Layout.Height + 3) / 4));
        return job;
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
        frames = device.CreateBuffer(renderer.FrameBytes(FrameFormat.UInt8) * 2 * l.Pairs);
        Text = new TextGrid(l.TextCols, l.TextRows);
        text = device.CreateBuffer(Text.Bytes.Length);
        Chart = new EnergyChart(l.ChartW);
        chart = device.CreateBuffer(8L * Chart.Capacity);
        image = device.CreateBuffer(4L * l.Stride * l.Height);
        set = pipeline.CreateDescriptorSet(frames, text, font, chart, image);
    }

    private void DisposeSized()
    {
        set?.Dispose();
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
    }
}
