using System.CommandLine;
using Spectre.Console;
using WeJepa.App.Terminal;
using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Datasets;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa bench sim</c>: Vulkan physics (env-steps/s) and rendering (frames/s) next to the same work
/// in PyTorch (<c>tools/reference/torch_sim_bench.py</c>) in two forms each — the plain one-call form and
/// the strongest form measured here (in-place RK4; 64-frame chunks blended in place) — and
/// <c>generate</c>'s end-to-end frames/s against the uint8 render, all measured in the same run.
/// Targets: physics and render ≥ 2× the stronger PyTorch form, generate ≥ 0.8× the uint8 render.
/// </summary>
public sealed class BenchSimCommand : IBenchCommand
{
    private const double PhysicsTarget = 2, RenderTarget = 2, GenerateTarget = 0.8;
    private const int GenerateSteps = 200;

    public Command Build()
    {
        var envs = new Option<int>("--envs") { Description = "Environments of the physics benchmark", DefaultValueFactory = _ => 65536 };
        var steps = new Option<int>("--steps") { Description = "RK4 steps per physics run", DefaultValueFactory = _ => 100 };
        var frames = new Option<int>("--frames") { Description = "Frames per render batch", DefaultValueFactory = _ => 1024 };
        var size = new Option<int>("--size") { Description = "Frame width and height (pixels)", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats (the median is reported)", DefaultValueFactory = _ => 5 };
        var noTorch = new Option<bool>("--no-torch") { Description = "Skip the PyTorch reference" };
        var require = new Option<bool>("--require-targets") { Description = "Exit with code 1 when a ratio misses its target (physics and render >= 2x the stronger PyTorch form, generate >= 0.8x the render)" };
        var generate = new Option<int>("--generate-episodes") { Description = "Episodes (of 200 frames) of the generate benchmark", DefaultValueFactory = _ => 100 };
        var gpu = new Option<string?>("--gpu") { Description = "Vulkan device: index or name substring (default: $WEJEPA_GPU, else a discrete GPU, else lavapipe)" };
        var command = new Command("sim", "Vulkan physics (env-steps/s) and rendering (frames/s) against PyTorch on the same machine.")
        {
            envs, steps, frames, size, repeats, generate, noTorch, require, gpu,
        };
        command.SetAction(parse => Run(parse.GetValue(envs), parse.GetValue(steps), parse.GetValue(frames), parse.GetValue(size),
            parse.GetValue(repeats), parse.GetValue(generate), !parse.GetValue(noTorch), parse.GetValue(gpu), parse.GetValue(require)));
        return command;
    }

    private static int Run(int envs, int steps, int frames, int size, int repeats, int generateEpisodes, bool torch, string? gpu, bool requireTargets)
    {
        if (envs < 1 || steps < 1 || frames < 1 || repeats < 1 || generateEpisodes < 1)
            throw new UserError("--envs, --steps, --frames, --repeats and --generate-episodes must be >= 1");
        if (size < 4 || size % 4 != 0) throw new UserError($"--size must be a multiple of 4 (got {size})");
        var (scene, yaml) = SceneInput.Load(null);   // the default scene: undamped pendulum, RK4
        using var device = VulkanDevice.Create(new VulkanOptions { Gpu = gpu });

        double physicsSeconds;
        using (var physics = new GpuPhysics(device, scene, envs))
            physicsSeconds = BenchSupport.Median(BenchSupport.Time(repeats, () => physics.Step(steps)));

        var spec = RenderSpec.FromScene(scene) with { Width = size, Height = size };
        double floatSeconds = TimeRender(device, spec, frames, repeats, FrameFormat.Float32);
        double byteSeconds = TimeRender(device, spec, frames, repeats, FrameFormat.UInt8);
        var sceneSpec = RenderSpec.FromScene(scene);
        double sceneByteSeconds = TimeRender(device, sceneSpec, frames, repeats, FrameFormat.UInt8);
        double generateSeconds = TimeGenerate(device, scene, yaml, generateEpisodes, Math.Min(repeats, 3));
        var parts = GenerateParts(device, scene, generateEpisodes);

        var ours = (Physics: (double)envs * steps / physicsSeconds, Float: frames / floatSeconds, Byte: frames / byteSeconds);
        System.Text.Json.Nodes.JsonNode? reference = null;
        string? problem = "skipped (--no-torch)";
        if (torch)
            (reference, problem) = BenchSupport.RunPythonJson("torch_sim_bench.py",
                ["--envs", $"{envs}", "--steps", $"{steps}", "--frames", $"{frames}", "--size", $"{size}", "--repeats", $"{repeats}"]);

        double? Ref(string section, string key) => reference?[section]?[key]?.GetValue<double>();
        double? Strongest(string a, string b, string key) => Ref(a, key) is { } x && Ref(b, key) is { } y ? Math.Max(x, y) : null;
        var table = new Table().Title($"bench sim on {Markup.Escape(device.Info.Name)} (lavapipe threads: {LavapipeThreads()}; medians of {repeats})")
            .AddColumn("work").AddColumn(new TableColumn("WeJepa (Vulkan)").RightAligned())
            .AddColumn(new TableColumn($"PyTorch {reference?["torch_version"]} ({reference?["threads"]} threads)").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned()).AddColumn("target");
        var strongest = (Physics: Strongest("physics", "physics_inplace", "env_steps_per_s"), Render: Strongest("render", "render_chunked", "frames_per_s"));
        string physicsWork = $"physics: {envs:N0} envs × {steps} RK4 steps", shape = $"{frames:N0} frames 3×{size}×{size}";
        AddRow(table, $"{physicsWork}; PyTorch plain", "env-steps/s", ours.Physics, Ref("physics", "env_steps_per_s"), null);
        AddRow(table, $"{physicsWork}; PyTorch in place, chunks of {Ref("physics_inplace", "chunk"):N0} envs", "env-steps/s", ours.Physics,
            Ref("physics_inplace", "env_steps_per_s"), null, (strongest.Physics, PhysicsTarget));
        AddRow(table, $"render float32: {shape}; PyTorch one call", "frames/s", ours.Float, Ref("render", "frames_per_s"), null);
        AddRow(table, $"render float32: {shape}; PyTorch chunks of {Ref("render_chunked", "chunk")}", "frames/s", ours.Float,
            Ref("render_chunked", "frames_per_s"), null, (strongest.Render, RenderTarget));
        AddRow(table, $"render uint8: {shape}; PyTorch one call", "frames/s", ours.Byte, Ref("render_uint8", "frames_per_s"), null);
        AddRow(table, $"render uint8: {shape}; PyTorch chunks of {Ref("render_uint8_chunked", "chunk")}", "frames/s", ours.Byte,
            Ref("render_uint8_chunked", "frames_per_s"), null);
        double generateRate = generateEpisodes * GenerateSteps / generateSeconds, sceneRender = frames / sceneByteSeconds;
        AddRow(table, $"generate: {generateEpisodes * GenerateSteps:N0} frames {sceneSpec.Width}×{sceneSpec.Height} vs our uint8 render",
            "frames/s", generateRate, sceneRender, GenerateTarget);
        var stdout = Consoles.Out;
        stdout.Write(table);
        // Where generate's time goes: its three stages one after another, each alone (the writer overlaps
        // rendering with hashing + writing, so its floor is the slower of the two sides on the cores left).
        double mb = parts.Bytes / 1e6;
        stdout.MarkupLine(Markup.Escape($"generate, stage by stage on {parts.Frames:N0} frames ({mb:N0} MB): render {parts.Render}, " +
            $"sha256 {parts.Hash} ({mb / parts.Hash.Cpu:N0} MB per CPU s), file writes {parts.Write} ({mb / parts.Write.Cpu:N0} MB per CPU s: " +
            $"the kernel's copy into the page cache); end to end {generateSeconds:F2} s"));
        if (reference?["physics_inplace"]?["by_chunk"] is System.Text.Json.Nodes.JsonObject byChunk)
            stdout.MarkupLine(Markup.Escape("PyTorch in-place RK4 by env chunk: " +
                string.Join(", ", byChunk.Select(kv => $"{int.Parse(kv.Key):N0}: {kv.Value!.GetValue<double>():N0} env-steps/s")) +
                $"; render float32 by frame chunk: " + string.Join(", ", (reference["render_chunked"]?["by_chunk"] as System.Text.Json.Nodes.JsonObject ?? [])
                    .Select(kv => $"{kv.Key}: {kv.Value!.GetValue<double>():N0} frames/s")) +
                $"; OMP_WAIT_POLICY={reference["omp_wait_policy"]}"));
        if (reference is null) stdout.MarkupLine($"[yellow]PyTorch reference unavailable: {Markup.Escape(problem ?? "")}[/]");
        if (!requireTargets) return ExitCodes.Ok;
        if (reference is null) throw new UserError($"--require-targets needs the PyTorch reference: {problem}", ExitCodes.MissingDependency);
        var missed = new List<string>();
        if (ours.Physics / strongest.Physics!.Value < PhysicsTarget) missed.Add($"physics < {PhysicsTarget}x");
        if (ours.Float / strongest.Render!.Value < RenderTarget) missed.Add($"render < {RenderTarget}x");
        if (generateRate / sceneRender < GenerateTarget) missed.Add($"generate < {GenerateTarget}x render");
        if (missed.Count == 0) return ExitCodes.Ok;
        System.Console.Error.WriteLine($"targets missed: {string.Join(", ", missed)}");
        return ExitCodes.Internal;
    }

    /// <summary>
    /// Median seconds of a whole <c>generate</c> (the Vulkan episode source and the dataset writer, files
    /// included) of <paramref name="episodes"/> × 200 frames of the scene into a temporary folder, deleted afterwards.
    /// </summary>
    private static double TimeGenerate(VulkanDevice device, Scene scene, string yaml, int episodes, int repeats)
    {
        var plan = new DatasetPlan(yaml, scene, episodes, GenerateSteps,
            DatasetPlan.DefaultShardEpisodes(episodes, GenerateSteps, RenderSpec.FromScene(scene).FrameFloats));
        var folder = Path.Combine(Path.GetTempPath(), $"wejepa-bench-generate-{Environment.ProcessId}");
        try
        {
            using var source = new GpuEpisodeSource(device, scene);
            return BenchSupport.Median(BenchSupport.Time(repeats, () => new DatasetWriter(plan, folder).Write(source, ExistingDataset.Overwrite)));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// generate's stages one after another on the same episodes: render into a frame slot, sha256 of the
    /// frames, writing them to a file in the temporary folder (deleted afterwards). Each stage's wall
    /// seconds and the process CPU seconds it used (the render's include lavapipe's threads); CPU time
    /// tells the work apart from waiting on a busy machine.
    /// </summary>
    private static GenerateStages GenerateParts(VulkanDevice device, Scene scene, int episodes)
    {
        using var source = new GpuEpisodeSource(device, scene);
        using var batch = source.Simulate(0, episodes, GenerateSteps);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var path = Path.Combine(Path.GetTempPath(), $"wejepa-bench-write-{Environment.ProcessId}.npy");
        int total = episodes * GenerateSteps;
        var (render, hashing, write) = (new Stage(), new Stage(), new Stage());
        long bytes = 0;
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            for (int start = 0; start < total; start += source.MaxFramesPerRender)
            {
                int n = Math.Min(source.MaxFramesPerRender, total - start);
                render.Run(() => batch.BeginRender(0, start, n));
                render.Run(() => batch.EndRender(0));
                var frames = batch.EndRender(0);   // finished: returns at once
                bytes += frames.Length;
                hashing.Run(() => hash.AppendData(batch.EndRender(0)));
                write.Run(() => file.Write(batch.EndRender(0)));
            }
            write.Run(file.Flush);
        }
        finally
        {
            File.Delete(path);
        }
        return new GenerateStages(total, bytes, render, hashing, write);
    }

    private sealed record GenerateStages(long Frames, long Bytes, Stage Render, Stage Hash, Stage Write);

    /// <summary>Wall and process CPU seconds summed over the runs of one stage.</summary>
    private sealed class Stage
    {
        public double Wall { get; private set; }
        public double Cpu { get; private set; }

        public void Run(Action work)
        {
            var process = System.Diagnostics.Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            work();
            Wall += clock.Elapsed.TotalSeconds;
            process.Refresh();
            Cpu += (process.TotalProcessorTime - cpu).TotalSeconds;
        }

        public override string ToString() => $"{Wall:F2} s ({Cpu:F2} s CPU)";
    }

    /// <summary>Median seconds to render <paramref name="frames"/> frames: one command buffer recorded once, submitted repeatedly.</summary>
    private static double TimeRender(VulkanDevice device, RenderSpec spec, int frames, int repeats, FrameFormat format)
    {
        var random = new Random(0);
        var states = Enumerable.Range(0, frames * spec.StateSize).Select(_ => (float)(random.NextDouble() * 2 * Math.PI - Math.PI)).ToArray();
        var looks = EnvLooks.Draw(spec, 0, frames);
        using var renderer = new GpuRenderer(device, spec);
        using var stateBuffer = device.CreateBuffer(4L * states.Length);
        using var lookBuffer = device.CreateBuffer(4L * looks.Length);
        using var output = device.CreateBuffer(frames * renderer.FrameBytes(format));
        stateBuffer.Upload<float>(states);
        lookBuffer.Upload<float>(looks);
        using var commands = device.CreateCommandBuffer();
        commands.Begin();
        using var job = renderer.Record(commands, stateBuffer, lookBuffer, new FrameIndexing(1), 0, frames, output, 0, format);
        commands.End();
        return BenchSupport.Median(BenchSupport.Time(repeats, commands.SubmitAndWait));
    }

    /// <summary>
    /// One row; the target is checked against <paramref name="reference"/>, or when given against
    /// <paramref name="stronger"/>'s value, the best (faster) of the two PyTorch forms.
    /// </summary>
    private static void AddRow(Table table, string work, string unit, double ours, double? reference, double? target,
        (double? Value, double Target)? stronger = null)
    {
        string ratio = reference is { } r ? $"{ours / r:F1}×" : "-";
        string Goal(double? against, double t, string what) => against is { } a
            ? (ours / a >= t ? $"[green]≥ {t}×{what} met[/]" : $"[red]≥ {t}×{what} missed[/]") : $"≥ {t}×{what}";
        string goal = stronger is { } s ? Goal(s.Value, s.Target, " best") : target is { } t ? Goal(reference, t, "") : "";
        table.AddRow(Markup.Escape(work), $"{ours:N0} {unit}", reference is { } rr ? $"{rr:N0} {unit}" : "-", ratio, goal);
    }

    private static string LavapipeThreads() =>
        Environment.GetEnvironmentVariable("LP_NUM_THREADS") is { Length: > 0 } n ? n : $"default ({Environment.ProcessorCount})";
}
