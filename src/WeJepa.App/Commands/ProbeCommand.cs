using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Reports;
using WeJepa.Training.Probes;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa probe --checkpoint C --data D [--data D2 …] [--compare] [--out DIR]</c>: linear probes of physical state on a
/// frozen JEPA encoder (mean-pooled tokens, or all of them with <c>--pool tokens</c>): closed-form ridge and an SGD head to (sin θ, cos θ) and ω of each angle,
/// and, with several datasets (one scene each), a scene classifier. <c>--compare</c> adds the same architecture at
/// random init and the raw pixels. Writes the table to stdout, <c>probe.json</c> and <c>probe.png</c> into --out.
/// </summary>
public sealed class ProbeCommand : ICliCommand
{
    static readonly string[] Written = ["probe.json", "probe.png"];

    public Command Build()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A model.safetensors written by train jepa, or its run folder", Required = true };
        var data = new Option<string[]>("--data") { Description = "A generate dataset folder (repeat for several scenes: adds a scene classifier)", Required = true };
        var compare = new Option<bool>("--compare") { Description = "Also probe the same architecture at random init and the raw pixels" };
        var student = new Option<bool>("--student") { Description = "I-JEPA: probe the student encoder (encoder.) instead of the EMA teacher (target_encoder.)" };
        var samples = new Option<int>("--samples") { Description = "Samples per split (train, validation) read from the datasets", DefaultValueFactory = _ => 2000 };
        var epochs = new Option<int>("--epochs") { Description = "SGD head epochs", DefaultValueFactory = _ => 20 };
        var seed = new Option<ulong>("--seed") { Description = "Split, random-init and SGD seed", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Folder for probe.json and probe.png", DefaultValueFactory = _ => "runs/probe" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var pool = new Option<string>("--pool")
        {
            Description = "mean: the mean of each input's tokens (D features); tokens: every token's features in grid order (N·D: where in the frame and when in the clip)",
            DefaultValueFactory = _ => "mean",
        };
        pool.AcceptOnlyFromAmong(ProbePoolings.All.Select(p => p.Name()).ToArray());
        var command = new Command("probe",
            "Linear probes of the pendulum state on a frozen JEPA encoder (ridge + SGD heads, per-epoch validation R², scene accuracy); " +
            "--compare: pretrained vs random init vs raw pixels. Table on stdout, probe.json and probe.png in --out")
        {
            checkpoint, data, compare, student, samples, epochs, seed, pool, output, device,
        };
        command.SetAction(parse =>
        {
            var folders = parse.GetValue(data)!;
            int n = parse.GetValue(samples), e = parse.GetValue(epochs);
            if (n < 16) throw new UserError($"--samples {n}: must be >= 16");
            if (e < 1) throw new UserError($"--epochs {e}: must be >= 1");
            var outDir = parse.GetValue(output)!;
            var modelPath = JepaEncoder.ResolvePath(parse.GetValue(checkpoint)!);
            OutputTarget.CheckFolder("--out", outDir, [modelPath, .. folders]);
            ulong s = parse.GetValue(seed);
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            var pooling = ProbePoolings.Parse(parse.GetValue(pool)!);
            var (rows, targets, header) = ProbeComparison.Run(dev, modelPath, folders, parse.GetValue(compare), parse.GetValue(student), n, e, s, Console.Error.WriteLine, pooling);
            Console.Write(ProbeReport.Table(rows, targets));
            AtomicFile.EnsureFolder(outDir);
            AtomicFile.WriteAllText(Path.Combine(outDir, Written[0]), ProbeReport.Json(rows, targets, header).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Chart(rows, targets, pooling).SavePng(Path.Combine(outDir, Written[1]));
            Console.Error.WriteLine($"probe: wrote {outDir}/{Written[0]} and {Written[1]}");
            return 0;
        });
        return command;
    }

    /// <summary>The SGD heads' validation R² per epoch: angles solid, velocities dashed, one colour per feature source.</summary>
    static Chart Chart(IReadOnlyList<ProbeRow> rows, ProbeTargets targets, ProbePooling pooling)
    {
        var chart = new Chart($"SGD probes: validation R², {pooling.Name()} pooling", "epoch", "R²") { YRange = (-0.1, 1.05) };
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            var color = ChartStyle.Default.Palette[i % ChartStyle.Default.Palette.Count];
            var x = row.Sgd.Select(p => (double)p.Epoch).ToArray();
            chart.Line($"{row.Features}: angle", x, row.Sgd.Select(p => ProbeReport.Mean(p.ValidationRSquared, targets.AngleColumns)).ToArray(), color);
            chart.Line($"{row.Features}: ω", x, row.Sgd.Select(p => ProbeReport.Mean(p.ValidationRSquared, targets.VelocityColumns)).ToArray(), color, Dash.Dashed);
        }
        return chart;
    }
}
