using System.Globalization;
using WeJepa.Learning.Parameters;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>bench dynamics --protocol speed</c>: the HNN (hidden 256) training step at batch 4096 as <c>train dynamics</c> takes
/// it, and a batched RK4 rollout, each against the same work in PyTorch (tools/reference/torch_dynamics_bench.py) under
/// every <see cref="PyTorchSetting"/> of this machine, the fastest being the ratio's; ours and PyTorch's runs alternate
/// (<see cref="BenchEngineTiming.Measure"/>) so that both see the same load.
/// </summary>
static class BenchDynamicsSpeed
{
    public const string Script = "tools/reference/torch_dynamics_bench.py";
    const int TrainBatch = 4096, Hidden = 256;

    public static void Run(Device dev, int batch, int rolloutSteps, int trainRepeats, int rolloutRepeats, bool reference)
    {
        var random = new InitRandom(1);
        var x = Enumerable.Range(0, 2 * TrainBatch).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var dxdt = new float[x.Length];
        for (int i = 0; i < TrainBatch; i++) (dxdt[2 * i], dxdt[2 * i + 1]) = (x[2 * i + 1], -MathF.Sin(x[2 * i]));
        var config = new DynamicsConfig { Model = "hnn", Hidden = Hidden, Steps = 1_000_000, Optimizer = "adamw", WeightDecay = 0, TestFraction = 0 }.Validate();
        var trainer = new DynamicsTrainer(dev, config, new TrainingSplit(2, x, dxdt, [], []), 1, outDir: "");
        var starts = Enumerable.Range(0, 2 * batch).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var settings = reference ? (dev.IsCuda ? [PyTorchSetting.AsInstalled] : PyTorchSetting.Available()) : [];
        string[] sizes = ["--rollout-batch", batch.ToString(CultureInfo.InvariantCulture), "--rollout-steps", rolloutSteps.ToString(CultureInfo.InvariantCulture)];
        var references = settings.Select(s => new BenchEngineReference(Environment.ProcessorCount, dev.IsCuda, s, Script, sizes)).ToList();
        try
        {
            IReadOnlyList<BenchEnginePeer> Peers(string workload) => references.Select(r => new BenchEnginePeer(r, workload, r.Setting.Name)).ToList();
            using var train = new BenchEngineWorkload("hnn", () => trainer.TrainOneStep());
            using var engine = BenchEngineWorkload.HnnStep(dev); // bench engine's HNN row: the same step without the trainer around it
            var training = BenchEngineTiming.Measure([new("ours", dev, train), new("bench engine's step", dev, engine)], Peers("hnn"), trainRepeats, warmup: 2);
            BatchRollout.Run(trainer.Model, starts.AsSpan(0, 2 * Math.Min(batch, 8)), 0.01, 2); // compile and warm the path
            using var roll = new BenchEngineWorkload("rollout", () => BatchRollout.Run(trainer.Model, starts, 0.01, rolloutSteps));
            var rollout = BenchEngineTiming.Measure([new("ours", dev, roll)], Peers("rollout"), rolloutRepeats, warmup: 0);
            Report(dev, training, rollout, batch, rolloutSteps, references);
        }
        finally
        {
            foreach (var r in references) r.Dispose();
            trainer.Dispose();
        }
    }

    static void Report(Device dev, BenchEngineTiming training, BenchEngineTiming rollout, int batch, int steps, IReadOnlyList<BenchEngineReference> references)
    {
        double Rate(double ms) => (double)batch * steps / (ms * 1e-3);
        var (ourTrain, ourRoll) = (training.Ours[0], rollout.Ours[0]);
        Console.WriteLine($"HNN (hidden {Hidden}) on {dev}; ours alternating run for run with PyTorch's");
        Console.WriteLine($"{"workload",-44} {"ours",-12} {"PyTorch",-12} ratio");
        string Peer(BenchEngineTiming t, Func<double, string> format) => t.Strongest is { } s ? format(s.MedianMs) : "-";
        Console.WriteLine($"{"training step, batch 4096 (ms, median)",-44} {ourTrain.MedianMs,-12:f1} {Peer(training, ms => ms.ToString("f1", CultureInfo.InvariantCulture)),-12} " +
                          (training.Ratio(ourTrain) is { } tr ? $"{tr:f2}× PyTorch's time (target ≤ 0.5)" : ""));
        Console.WriteLine($"{$"rollout {batch} × {steps} RK4 (trajectory-steps/s)",-44} {Rate(ourRoll.MedianMs),-12:e3} {Peer(rollout, ms => Rate(ms).ToString("e3", CultureInfo.InvariantCulture)),-12} " +
                          (rollout.Ratio(ourRoll) is { } rr ? $"{1 / rr:f2}× PyTorch's rate (target ≥ 5)" : ""));
        Console.WriteLine($"{"  bench engine's HNN step, same run",-44} {training.Ours[1].MedianMs,-12:f1} {"",-12} " +
                          (training.Ratio(training.Ours[1]) is { } er ? $"{er:f2}× PyTorch's time" : ""));
        Console.WriteLine($"where our time goes: training step {ourTrain.GemmShare}; rollout {ourRoll.GemmShare}");
        foreach (var (name, t) in new[] { ("training", training), ("rollout", rollout) })
            if (t.Strongest is { } s) Console.WriteLine($"PyTorch's strongest setting for the {name}: '{s.Label}' ({string.Join(", ", t.Peers.Select(p => $"{p.Label} {p.MedianMs:f0} ms"))})");
        foreach (var r in references) Console.WriteLine($"PyTorch setting '{r.Setting.Name}': {r.Description}");
    }
}
