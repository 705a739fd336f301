using System.CommandLine;
using WeJepa.Core.Errors;
using WeJepa.Learning.Devices;

namespace WeJepa.App.Commands;

/// <summary>
/// The options every engine-level bench shares (<c>bench engine</c>, <c>bench jepa</c>): timed and untimed runs, the
/// ILGPU device, the CPU GEMM backend and whether PyTorch runs beside us.
/// </summary>
internal sealed class BenchTimingOptions
{
    readonly Option<int> repeats, warmup;
    readonly Option<string> device, blas;
    readonly Option<bool> noReference = new("--no-reference") { Description = "Skip PyTorch (report our timings only)" };

    public BenchTimingOptions(string repeatsText, int repeatsDefault, string warmupText, int warmupDefault, string blasText)
    {
        repeats = new("--repeats") { Description = repeatsText, DefaultValueFactory = _ => repeatsDefault };
        warmup = new("--warmup") { Description = warmupText, DefaultValueFactory = _ => warmupDefault };
        device = new("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        blas = new("--blas") { Description = blasText, DefaultValueFactory = _ => "auto" };
        blas.AcceptOnlyFromAmong(BenchEngineCommand.BlasNames);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { repeats, warmup, device, blas, noReference }) command.Options.Add(option);
    }

    /// <summary>Repeats and warm-up checked (a UserError names both), whether PyTorch runs.</summary>
    public (int Repeats, int Warmup, bool Reference) Resolve(ParseResult parse)
    {
        int r = parse.GetValue(repeats), w = parse.GetValue(warmup);
        if (r < 1 || w < 0) throw new UserError($"--repeats must be >= 1 and --warmup >= 0 (got {r}, {w})");
        return (r, w, !parse.GetValue(noReference));
    }

    /// <summary>The device the options name (a missing CUDA or oneDNN is the device layer's clear error).</summary>
    public Device Open(ParseResult parse) =>
        DeviceOption.Open(parse.GetValue(device)!, BenchEngineCommand.ParseBlas(parse.GetValue(blas)!));
}
