using System.CommandLine;
using WeJepa.Bridge.Streams;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Training.Probes;
using WeJepa.Vulkan;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa attention --checkpoint C --data D|--scene S [--frames K] [--out DIR]</c>: a JEPA encoder's attention on K
/// frames (of a dataset's validation episodes, or the first frames of K live episodes of a scene), one PNG per frame:
/// rows are layers, the first column the frame, then one heatmap per head over the patch grid (see <see cref="AttentionGrid"/>).
/// </summary>
public sealed class AttentionCommand : ICliCommand
{
    public Command Build()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A model.safetensors written by train jepa, or its run folder", Required = true };
        var data = new Option<string?>("--data") { Description = "A generate dataset folder (frames of its validation episodes)" };
        var scene = new Option<string?>("--scene") { Description = "A scene: the first frame of K live episodes (the Vulkan simulator)" };
        var frames = new Option<int>("--frames") { Description = "Frames to draw", DefaultValueFactory = _ => 4 };
        var zoom = new Option<int>("--zoom") { Description = "Pixels per frame pixel in the PNGs", DefaultValueFactory = _ => 3 };
        var student = new Option<bool>("--student") { Description = "I-JEPA: the student encoder (encoder.) instead of the EMA teacher" };
        var output = new Option<string>("--out") { Description = "Folder for attention-NNN.png", DefaultValueFactory = _ => "runs/attention" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("attention",
            "Attention maps of a JEPA encoder: per layer and head, the attention each patch receives over the frame; one PNG grid per frame in --out")
        {
            checkpoint, data, scene, frames, zoom, student, output, device,
        };
        command.SetAction(parse =>
        {
            var (dataDir, scenePath) = (parse.GetValue(data), parse.GetValue(scene));
            if ((dataDir is null) == (scenePath is null)) throw new UserError("attention: give exactly one of --data DIR or --scene FILE");
            int k = parse.GetValue(frames), z = parse.GetValue(zoom);
            if (k is < 1 or > 64) throw new UserError($"--frames {k}: must be in [1, 64]");
            if (z is < 1 or > 16) throw new UserError($"--zoom {z}: must be in [1, 16]");
            var outDir = parse.GetValue(output)!;
            var modelPath = JepaEncoder.ResolvePath(parse.GetValue(checkpoint)!);
            OutputTarget.CheckFolder("--out", outDir, [modelPath, dataDir, scenePath]);
            var loadedScene = scenePath is null ? null : SceneLoader.Load(scenePath);
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            using var encoder = JepaEncoder.Load(dev, modelPath, randomInit: false, parse.GetValue(student));
            using var vulkan = loadedScene is null ? null : VulkanDevice.Create();
            IBatchStream stream;
            try
            {
                stream = loadedScene is not null
                    ? new LiveBatchStream(vulkan!, dev, loadedScene, k)
                    : new DatasetBatchStream(dataDir!, dev, DatasetSplit.Validation, k, seed: 0, ProbeData.ValidationFraction);
            }
            catch (Exception e) when (e is ArgumentException or IOException or System.Text.Json.JsonException or InvalidOperationException)
            {
                throw new UserError($"{(dataDir is null ? "--scene " + scenePath : "--data " + dataDir)}: {e.Message}");
            }
            using (stream)
            {
                var batch = stream.Next();
                int size = encoder.ImageSize;
                if (batch.Frames.Shape[2] != size || batch.Frames.Shape[3] != size)
                    throw new UserError($"{dataDir ?? scenePath}: frames are {batch.Frames.Shape[2]}×{batch.Frames.Shape[3]}, the encoder takes {size}×{size} (image_size)");
                encoder.RecordAttention = true;
                new Tape(dev).Step(() => { encoder.Tokens(batch.Frames); });
                var pixels = batch.Frames.ToArray();
                int tokens = encoder.GridHeight * encoder.GridWidth, perFrame = encoder.Heads * tokens * tokens, frameValues = 3 * size * size;
                var (width, height) = AttentionGrid.Size(encoder.LastAttention.Count, encoder.Heads, size, z);
                AtomicFile.EnsureFolder(outDir);
                for (int i = 0; i < k; i++)
                {
                    var layers = encoder.LastAttention.Select(a => a.AsSpan(i * perFrame, perFrame).ToArray()).ToList();
                    var rgb = AttentionGrid.Render(pixels.AsSpan(i * frameValues, frameValues), size, layers, encoder.Heads, encoder.GridHeight, encoder.GridWidth, z);
                    PngFile.Save(Path.Combine(outDir, $"attention-{i:D3}.png"), rgb, width, height);
                }
                Console.WriteLine($"attention: {encoder.Kind} ({encoder.Source}), {encoder.LastAttention.Count} layers × {encoder.Heads} heads on a {encoder.GridHeight}×{encoder.GridWidth} patch grid; " +
                                  $"wrote {k} PNG(s) of {width}×{height} to {outDir}/ (episodes {string.Join(", ", batch.Episodes)}, times {string.Join(", ", batch.Times)})");
            }
            return 0;
        });
        return command;
    }
}
