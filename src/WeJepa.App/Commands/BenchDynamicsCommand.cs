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
        var protocol = new Option<string>("--protocol") { Description = "hnn-pendulum (Greydanus et al. Task 2) | lnn-double (Cranmer et al.'s double pendulum: LNN, HNN d = 2, MLP) | speed (vs PyTorch)", Required = true };
        protocol.AcceptOnlyFromAmong("hnn-pendulum", "lnn-double", "speed");
        var seeds = new Option<int>("--seeds") { Description = "hnn-pendulum, lnn-double: seeds", DefaultValueFactory = _ => 3 };
        var steps = new Option<int?>("--steps") { Description = "hnn-pendulum, lnn-double: training steps (default 2000, 600)" };
        var hidden = new Option<int?>("--hidden") { Description = "hnn-pendulum, lnn-double: hidden width (default 200, 64)" };
        var batch = new Option<int>("--batch") { Description = "speed: rollout trajectories (the training step is at batch 4096)", DefaultValueFactory = _ => 4096 };
        var rolloutSteps = new Option<int?>("--rollout-steps") { Description = "speed, lnn-double: RK4 steps (default 1000 of 0.01 s both)" };
        var repeats = new Option<int>("--repeats") { Description = "speed: timed training steps (median)", DefaultValueFactory = _ => 10 };
        var rolloutRepeats = new Option<int>("--rollout-repeats") { Description = "speed: timed rollouts (median)", DefaultValueFactory = _ => 1 };
        var noReference = new Option<bool>("--no-reference") { Description = "speed: skip PyTorch" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("dynamics", "Learned dynamics: the HNN paper's pendulum table, the double pendulum's energy errors, or HNN training/rollout speed against PyTorch")
        {
            protocol, seeds, steps, hidden, batch, rolloutSteps, repeats, rolloutRepeats, noReference, device,
        };
        command.SetAction(parse =>
        {
            int Or(Option<int?> option, int fallback) => Positive(parse.GetValue(option) ?? fallback, option.Name);
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            switch (parse.GetValue(protocol))
            {
                case "hnn-pendulum":
                    var options = new HnnPendulumOptions(Seeds: Positive(parse.GetValue(seeds), "--seeds"), Steps: Or(steps, 2000), Hidden: Or(hidden, 200));
                    Table(HnnPendulumProtocol.Run(dev, options, line => Console.Error.WriteLine(line)), options);
                    break;
                case "lnn-double":
                    var double_ = new DoublePendulumOptions(Seeds: Positive(parse.GetValue(seeds), "--seeds"), Steps: Or(steps, 600), Hidden: Or(hidden, 64),
                        RolloutSteps: Or(rolloutSteps, 1000));
                    DoubleTable(DoublePendulumProtocol.Run(dev, double_, line => Console.Error.WriteLine(line)), double_);
                    break;
                default:
                    BenchDynamicsSpeed.Run(dev, Positive(parse.GetValue(batch), "--batch"), Or(rolloutSteps, 1000),
                        Positive(parse.GetValue(repeats), "--repeats"), Positive(parse.GetValue(rolloutRepeats), "--rollout-repeats"), !parse.GetValue(noReference));
                    break;
            }
            return 0;
        });
        return command;
    }

    static int Positive(int value, string option) => value >= 1 ? value : throw new UserError($"{option} {value}: must be >= 1");

    static void Table(IReadOnlyList<ProtocolResult> results, HnnPendulumOptions o)
    {
        Console.WriteLine($"HNN paper, ideal pendulum (Task 2): {o.Seeds} seed(s), {o.Steps} full-batch Adam steps, hidden {o.Hidden}, noise σ {o.Noise}; " +
                          $"energy-test rollouts RK4, {o.Substeps} steps per sample; mean ± std over seeds");
        Console.WriteLine($"{"model",-9} {"",-8} {"train loss",-20} {"test loss",-20} {"energy MSE (q²+p²)",-20} {"energy MSE (true H)",-20}");
        foreach (var (model, paper) in new[] { ("baseline", HnnPendulumProtocol.PaperBaseline), ("hnn", HnnPendulumProtocol.PaperHnn) })
        {
            var rows = results.Where(r => r.Model == (model == "baseline" ? "mlp" : "hnn")).ToList();
            string Stat(Func<ProtocolResult, double> f) => MeanStd(rows.Select(f));
            Console.WriteLine($"{model,-9} {"ours",-8} {Stat(r => r.TrainLoss),-20} {Stat(r => r.TestLoss),-20} {Stat(r => r.EnergyMseQuadratic),-20} {Stat(r => r.EnergyMseTrue),-20}");
            Console.WriteLine($"{"",-9} {"paper",-8} {$"{paper.Train:e3} ± {paper.TrainError:e1}",-20} {$"{paper.Test:e3} ± {paper.TestError:e1}",-20} {$"{paper.Energy:e3} ± {paper.EnergyError:e1}",-20}");
        }
        var hnn = results.Where(r => r.Model == "hnn").ToList();
        Console.WriteLine($"{"hnn",-9} {"leapfrog",-8} {"(same models)",-20} {"",-20} {MeanStd(hnn.Select(r => r.LeapfrogMseQuadratic)),-20} {MeanStd(hnn.Select(r => r.LeapfrogMseTrue)),-20}");
        Console.WriteLine($"{"hnn",-9} {"midpoint",-8} {"(same models)",-20} {"",-20} {MeanStd(hnn.Select(r => r.MidpointMseQuadratic)),-20} {MeanStd(hnn.Select(r => r.MidpointMseTrue)),-20}");
        Console.WriteLine("leapfrog / midpoint: the HNN's energy test rolled out with the symplectic kick-drift-kick (symplectic for a separable H) or the implicit " +
                          "midpoint rule (symplectic for any H) instead of RK4, at the same step (beyond the paper); ours: mean ± std over seeds; paper: its error bars (energy: analyze-pend's bootstrap over the 15 trajectories; " +
                          $"ours by the same bootstrap, mean over seeds: baseline {results.Where(r => r.Model == "mlp").Average(r => r.EnergyConfidence):e1}, " +
                          $"hnn {results.Where(r => r.Model == "hnn").Average(r => r.EnergyConfidence):e1})");
    }

    /// <summary>"mean ± std" (sample std over seeds; 0 for one seed).</summary>
    static string MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average(), std = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Sum() / Math.Max(1, v.Length - 1));
        return $"{mean:e3} ± {std:e1}";
    }

    static void DoubleTable(IReadOnlyList<DoublePendulumResult> results, DoublePendulumOptions o)
    {
        Console.WriteLine($"Double pendulum (Cranmer et al.'s LNN setting): {o.Seeds} seed(s), {o.Trajectories} trajectories × {o.Samples} samples (dt {o.SampleDt}), " +
                          $"{o.Steps} full-batch Adam steps (cosine), hidden {o.Hidden}; energy over {o.RolloutSteps} RK4 steps of {o.RolloutDt} s from {o.TestStates} unseen states; mean ± std over seeds");
        Console.WriteLine($"{"model",-9} {"train loss",-20} {"test loss",-20} {"energy error",-20} {"final drift",-20} {"MSE at 1 s",-20}");
        foreach (var model in DoublePendulumProtocol.Models)
        {
            var rows = results.Where(r => r.Model == model).ToList();
            string Stat(Func<DoublePendulumResult, double> f) => MeanStd(rows.Select(f));
            var name = model switch { "mlp" => "baseline", "hnn" => "hnn d=2", _ => model };
            Console.WriteLine($"{name,-9} {Stat(r => r.TrainLoss),-20} {Stat(r => r.TestLoss),-20} {Stat(r => r.EnergyError),-20} {Stat(r => r.FinalDrift),-20} {Stat(r => r.MseAtOneSecond),-20}");
        }
        Console.WriteLine("energy error: mean over trajectories and time of |E(t) − E0| / E0 of the true energy of the learned states; final drift: |E_T − E0| / E0; " +
                          "losses: the LNN's on accelerations, the baseline's and the HNN's (canonical p) on the whole field; the paper plots energy error, it prints no table");
    }
}
