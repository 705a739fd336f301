using System.CommandLine;
using System.Globalization;
using WeJepa.Core.Errors;
using WeJepa.Learning.Devices;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa bench dynamics --protocol hnn-pendulum|speed</c>: the HNN paper's ideal-pendulum table (ours beside the
/// paper's numbers, mean ± std over seeds), or HNN training and rollout speed against PyTorch measured in the same run.
/// </summary>
public sealed class BenchDynamicsCommand : IBenchCommand
{
    public Command Build()
    {
        var protocol = new Option<string>("--protocol") { Description = "hnn-pendulum (Greydanus et al. Task 2) | speed (vs PyTorch)", Required = true };
        protocol.AcceptOnlyFromAmong("hnn-pendulum", "speed");
        var seeds = new Option<int>("--seeds") { Description = "hnn-pendulum: seeds", DefaultValueFactory = _ => 3 };
        var steps = new Option<int>("--steps") { Description = "hnn-pendulum: training steps", DefaultValueFactory = _ => 2000 };
        var hidden = new Option<int>("--hidden") { Description = "hnn-pendulum: hidden width", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch") { Description = "speed: rollout trajectories (the training step is at batch 4096)", DefaultValueFactory = _ => 4096 };
        var rolloutSteps = new Option<int>("--rollout-steps") { Description = "speed: RK4 steps", DefaultValueFactory = _ => 1000 };
        var noReference = new Option<bool>("--no-reference") { Description = "speed: skip PyTorch" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("dynamics", "Learned dynamics: the HNN paper's pendulum table, or HNN training/rollout speed against PyTorch")
        {
            protocol, seeds, steps, hidden, batch, rolloutSteps, noReference, device,
        };
        command.SetAction(parse =>
        {
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            if (parse.GetValue(protocol) == "hnn-pendulum")
            {
                var options = new HnnPendulumOptions(Seeds: Positive(parse.GetValue(seeds), "--seeds"), Steps: Positive(parse.GetValue(steps), "--steps"),
                    Hidden: Positive(parse.GetValue(hidden), "--hidden"));
                Table(HnnPendulumProtocol.Run(dev, options, line => Console.Error.WriteLine(line)), options);
            }
            else Speed(dev, Positive(parse.GetValue(batch), "--batch"), Positive(parse.GetValue(rolloutSteps), "--rollout-steps"), !parse.GetValue(noReference));
            return 0;
        });
        return command;
    }

    static int Positive(int value, string option) => value >= 1 ? value : throw new UserError($"{option} {value}: must be >= 1");

    static void Table(IReadOnlyList<ProtocolResult> results, HnnPendulumOptions o)
    {
        Console.WriteLine($"HNN paper, ideal pendulum (Task 2): {o.Seeds} seed(s), {o.Steps} full-batch Adam steps, hidden {o.Hidden}, noise σ {o.Noise}; mean ± std over seeds");
        Console.WriteLine($"{"model",-9} {"",-8} {"train loss",-20} {"test loss",-20} {"energy MSE (q²+p²)",-20} {"energy MSE (true H)",-20}");
        foreach (var (model, paper) in new[] { ("baseline", HnnPendulumProtocol.PaperBaseline), ("hnn", HnnPendulumProtocol.PaperHnn) })
        {
            var rows = results.Where(r => r.Model == (model == "baseline" ? "mlp" : "hnn")).ToList();
            string Stat(Func<ProtocolResult, double> f)
            {
                var v = rows.Select(f).ToArray();
                double mean = v.Average(), std = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Sum() / Math.Max(1, v.Length - 1));
                return $"{mean:e3} ± {std:e1}";
            }
            Console.WriteLine($"{model,-9} {"ours",-8} {Stat(r => r.TrainLoss),-20} {Stat(r => r.TestLoss),-20} {Stat(r => r.EnergyMseQuadratic),-20} {Stat(r => r.EnergyMseTrue),-20}");
            Console.WriteLine($"{"",-9} {"paper",-8} {$"{paper.Train:e3} ± {paper.TrainError:e1}",-20} {$"{paper.Test:e3} ± {paper.TestError:e1}",-20} {$"{paper.Energy:e3} ± {paper.EnergyError:e1}",-20}");
        }
        Console.WriteLine("ours: mean ± std over seeds; paper: its error bars (energy: analyze-pend's bootstrap over the 15 trajectories; " +
                          $"ours by the same bootstrap, mean over seeds: baseline {results.Where(r => r.Model == "mlp").Average(r => r.EnergyConfidence):e1}, " +
                          $"hnn {results.Where(r => r.Model == "hnn").Average(r => r.EnergyConfidence):e1})");
    }

    static void Speed(Device dev, int batch, int rolloutSteps, bool reference)
    {
        const int TrainBatch = 4096, Repeats = 10;
        var random = new WeJepa.Learning.Parameters.InitRandom(1);
        var x = Enumerable.Range(0, 2 * TrainBatch).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var dxdt = new float[x.Length];
        for (int i = 0; i < TrainBatch; i++) (dxdt[2 * i], dxdt[2 * i + 1]) = (x[2 * i + 1], -MathF.Sin(x[2 * i]));
        var split = new TrainingSplit(2, x, dxdt, [], []);
        var config = new DynamicsConfig { Model = "hnn", Hidden = 256, Steps = 1_000_000, Optimizer = "adamw", WeightDecay = 0, TestFraction = 0 }.Validate();
        using var trainer = new DynamicsTrainer(dev, config, split, 1, outDir: "");
        double trainMs = BenchSupport.Median(BenchSupport.Time(Repeats, () => trainer.TrainOneStep())) * 1e3;
        var starts = Enumerable.Range(0, 2 * batch).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        BatchRollout.Run(trainer.Model, starts.AsSpan(0, 2 * Math.Min(batch, 8)), 0.01, 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        BatchRollout.Run(trainer.Model, starts, 0.01, rolloutSteps);
        double rolloutS = clock.Elapsed.TotalSeconds;
        double ours = (double)batch * rolloutSteps / rolloutS;
        Console.WriteLine($"HNN (hidden 256) on {dev}");
        Console.WriteLine($"{"workload",-44} {"ours",-16} {"PyTorch",-16} ratio");
        if (!reference)
        {
            Console.WriteLine($"{"training step, batch 4096 (ms, median)",-44} {trainMs,-16:f2}");
            Console.WriteLine($"{$"rollout {batch} × {rolloutSteps} RK4 (trajectory-steps/s)",-44} {ours,-16:e3}");
            return;
        }
        var (json, problem) = BenchSupport.RunPythonJson("torch_dynamics_bench.py",
            ["--batch", batch.ToString(CultureInfo.InvariantCulture), "--steps", rolloutSteps.ToString(CultureInfo.InvariantCulture), "--repeats", Repeats.ToString(CultureInfo.InvariantCulture)]);
        if (json is null) throw new UserError($"PyTorch reference: {problem} (or pass --no-reference)", ExitCodes.MissingDependency);
        double torchMs = json["train_step_ms"]!.GetValue<double>(), torchRate = (double)batch * rolloutSteps / json["rollout_s"]!.GetValue<double>();
        Console.WriteLine($"{"training step, batch 4096 (ms, median)",-44} {trainMs,-16:f2} {torchMs,-16:f2} {trainMs / torchMs:f2}× PyTorch's time (target ≤ 0.5)");
        Console.WriteLine($"{$"rollout {batch} × {rolloutSteps} RK4 (trajectory-steps/s)",-44} {ours,-16:e3} {torchRate,-16:e3} {ours / torchRate:f2}× PyTorch's rate (target ≥ 5)");
        Console.WriteLine($"PyTorch {json["torch"]}, {json["threads"]} threads, OMP_WAIT_POLICY={json["omp_wait_policy"]}");
    }
}
