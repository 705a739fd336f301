using System.CommandLine;
using System.Globalization;
using WeJepa.App.Terminal;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Training.Study;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa study jepa [--out DIR] [--minutes M] [--quick] [--scene F] [--data D] [--seed S] [--device …]</c>: the JEPA study
/// (<see cref="JepaStudy"/>) — I-JEPA, the video JEPA and the seed's V-JEPA pretrained within one CPU budget on a
/// randomised, noisy scene, then probed against their random-init twins and the raw pixels; writes the report folder
/// (<see cref="StudyReport"/>) and prints the table.
/// </summary>
public sealed class StudyCommand : ICliCommand
{
    public const string DefaultOut = "runs/study", DefaultData = "data/study", DefaultScene = "scenes/randomized.yaml", SceneFile = "scene.yaml";

    public Command Build()
    {
        var study = new Command("study", "Reproducible studies: a report folder from one command.");
        study.Subcommands.Add(Jepa());
        return study;
    }

    static Command Jepa()
    {
        var output = new Option<string>("--out") { Description = "Report folder (replaced when it holds only an earlier study; refused when it holds anything else)", DefaultValueFactory = _ => DefaultOut };
        var minutes = new Option<double?>("--minutes") { Description = $"The whole pretraining budget in minutes, split between the three JEPAs (default {StudyPlan.DefaultMinutes}; --quick: {StudyPlan.QuickMinutes})" };
        var quick = new Option<bool>("--quick") { Description = "Tiny encoders, a tiny probe dataset and a seconds budget: checks the pipeline, not the science" };
        var scene = new Option<string?>("--scene") { Description = $"Scene file (a simple pendulum); default: the built-in {DefaultScene} (colour + length randomisation, sensor noise)" };
        var data = new Option<string>("--data") { Description = "Folder of the held-out probe dataset (written, or reused when it holds the same dataset)", DefaultValueFactory = _ => DefaultData };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the runs and the probes", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("jepa",
            "The JEPA study: I-JEPA, video JEPA and the seed's V-JEPA pretrained within one CPU budget on a scene with domain randomisation and sensor noise, " +
            $"then linear probes of angle and ω (pretrained vs random init vs raw pixels) on held-out episodes, and training throughput vs the bare step; " +
            $"writes {string.Join(", ", StudyReport.Files)}, {SceneFile} and the runs in runs/ into --out, and prints the table")
        {
            output, minutes, quick, scene, data, seed, device,
        };
        command.SetAction(parse =>
        {
            var plan = StudyPlan.Create(parse.GetValue(minutes), parse.GetValue(quick), parse.GetValue(seed));
            var (outDir, dataDir, scenePath) = (parse.GetValue(output)!, parse.GetValue(data)!, parse.GetValue(scene));
            if (dataDir.Length == 0) throw new UserError("--data: the path is empty; name a folder for the probe dataset");
            var (loaded, yaml) = scenePath is null ? SceneInput.LoadEmbedded(DefaultScene) : SceneInput.Load(scenePath);
            if (loaded.StateSize != 2) throw new UserError($"{loaded.Source}: the study probes simple pendulums (θ, ω); this scene's state has {loaded.StateSize} values");
            OutputTarget.CheckFolder("--out", outDir, [scenePath, dataDir], [.. StudyReport.Files, SceneFile, JepaStudy.RunsFolder]);   // refuses --data inside it too
            AtomicFile.EnsureFolder(outDir);
            var sceneFile = Path.Combine(outDir, SceneFile);   // the runs read the live scene from the copy beside the report
            AtomicFile.WriteAllText(sceneFile, yaml);
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            Console.Error.WriteLine($"study jepa: {plan.Models.Count} JEPAs on {loaded.Source}, {plan.Minutes.ToString("G3", CultureInfo.InvariantCulture)} min of pretraining in all{(plan.Quick ? " (quick)" : "")}; {dev}");
            var result = JepaStudy.Run(dev, plan, loaded, yaml, sceneFile, dataDir, outDir, new Ui());
            StudyReport.Write(outDir, result, Reproduce(parse.GetValue(output)!, parse.GetValue(minutes), plan.Quick, scenePath, parse.GetValue(data)!, plan.Seed));
            Console.Write(StudyReport.Table(result));
            foreach (var line in StudyReport.Findings(result)) Console.WriteLine(line);
            Console.WriteLine($"finished in {result.TotalMinutes:F1} min; report: {Path.Combine(outDir, StudyReport.Files[0])} ({string.Join(", ", StudyReport.Files.Skip(1))} beside it)");
            return 0;
        });
        return command;
    }

    static string Reproduce(string output, double? minutes, bool quick, string? scene, string data, ulong seed)
    {
        var parts = new List<string> { "./wejepa study jepa", $"--out {output}" };
        if (minutes is { } m) parts.Add($"--minutes {m.ToString(CultureInfo.InvariantCulture)}");
        if (quick) parts.Add("--quick");
        if (scene is not null) parts.Add($"--scene {scene}");
        if (data != DefaultData) parts.Add($"--data {data}");
        if (seed != 0) parts.Add($"--seed {seed}");
        return string.Join(' ', parts);
    }

    sealed class Ui : IStudyProgress
    {
        public T Run<T>(string description, long total, Func<IProgress<long>, T> work, Func<string>? status = null) =>
            Progress.Run(description, total, work, status);

        public void Say(string line) => Console.Error.WriteLine(line);
    }
}
