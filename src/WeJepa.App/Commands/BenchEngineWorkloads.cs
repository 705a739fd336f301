using System.Diagnostics;
using WeJepa.Learning;
using WeJepa.Learning.Models;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.App.Commands;

/// <summary>
/// One workload of <c>wejepa bench engine</c>, the same as tools/reference/torch_engine_bench.py's of the same
/// <see cref="Name"/>: set up once, then <see cref="Step"/> runs it once (the caller synchronises and times).
/// </summary>
public sealed class BenchEngineWorkload : IDisposable
{
    public const int GemmM = 4096, GemmK = 384, GemmN = 384;
    public const int LayerBatch = 64, LayerTokens = 64, LayerDim = 384, LayerHeads = 6;
    public const int HnnBatch = 4096, HnnHidden = 256;

    readonly IDisposable[] owned;    // inputs, models, optimizers (made outside any step: ours to dispose)

    public string Name { get; }
    public Action Step { get; }

    BenchEngineWorkload(string name, Action step, params IDisposable[] owned) =>
        (Name, Step, this.owned) = (name, step, owned);

    public static double GemmGFlops(double ms) => 2.0 * GemmM * GemmN * GemmK / (ms * 1e-3) / 1e9;

    /// <summary>C (4096×384) = A (4096×384)·B (384×384).</summary>
    public static BenchEngineWorkload Sgemm(Device device)
    {
        var a = Random(device, 1, GemmM, GemmK);
        var b = Random(device, 2, GemmK, GemmN);
        var c = Tensor.Empty(device, GemmM, GemmN);
        return new("sgemm", () => device.Gemm(false, false, GemmM, GemmN, GemmK, 1f, a.View, GemmK, b.View, GemmN, 0f, c.View, GemmN), a, b, c);
    }

    /// <summary>One pre-norm GELU encoder layer (D 384, 6 heads, FF 1536) forward + backward on x (64, 64, 384), ones upstream.</summary>
    public static BenchEngineWorkload Layer(Device device)
    {
        var layer = new TransformerEncoderLayer(LayerDim, LayerHeads);
        var parameters = ParameterStore.Create(device, layer.Parameters, seed: 1);
        var x = Random(device, 3, LayerBatch, LayerTokens, LayerDim);
        x.RequiresGrad = true;
        var ones = Tensor.Full(device, 1f, LayerBatch, LayerTokens, LayerDim);
        var tape = new Tape(device);
        return new("layer", () => tape.Step(() =>
        {
            parameters.ZeroGrad();
            Autograd.Backward(layer.Forward(parameters, x), ones); // x.Grad is the step's: gone when it ends
        }), x, ones, parameters);
    }

    /// <summary>One HNN training step at batch 4096: field with the second-order graph, MSE, backward, AdamW.</summary>
    public static BenchEngineWorkload HnnStep(Device device)
    {
        var hnn = new Hnn(device, HnnHidden, seed: 1);
        var adamW = new AdamW(hnn.Parameters);
        var random = new System.Random(4);
        var states = Enumerable.Range(0, 2 * HnnBatch).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var target = new float[2 * HnnBatch];
        for (int i = 0; i < HnnBatch; i++) (target[2 * i], target[2 * i + 1]) = (states[2 * i + 1], -MathF.Sin(states[2 * i]));
        var x = Tensor.FromArray(device, states, HnnBatch, 2);
        var dxdt = Tensor.FromArray(device, target, HnnBatch, 2);
        var tape = new Tape(device);
        return new("hnn", () => tape.Step(() =>
        {
            hnn.Parameters.ZeroGrad();
            Autograd.Backward(hnn.Loss(x, dxdt));
            adamW.Step(1e-3, 0.0);
        }), x, dxdt, adamW, hnn);
    }

    static Tensor Random(Device device, int seed, params int[] shape)
    {
        var random = new System.Random(seed);
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return Tensor.FromArray(device, values, shape);
    }

    public void Dispose()
    {
        foreach (var o in owned) o.Dispose();
    }
}

/// <summary>Medians of a workload timed here and, run for run in alternation, in PyTorch.</summary>
public sealed record BenchEngineTiming(double MedianMs, double? TorchMedianMs, double GemmMsPerRun, double GemmCallsPerRun, double GemmGFlops)
{
    public double? Ratio => TorchMedianMs is { } t ? MedianMs / t : null;

    public string GemmShare => GemmCallsPerRun == 0 ? "-"
        : $"{100 * GemmMsPerRun / MedianMs:F0}% in {GemmCallsPerRun:F0} GEMMs ({GemmGFlops:F0} GFLOP/s)";

    /// <summary>
    /// <paramref name="warmup"/> untimed then <paramref name="repeats"/> timed runs, each of ours right after one of
    /// PyTorch's (when <paramref name="reference"/> is given), so both see the same machine load.
    /// </summary>
    public static BenchEngineTiming Measure(Device device, BenchEngineWorkload workload, BenchEngineReference? reference, int repeats, int warmup)
    {
        for (int i = 0; i < warmup; i++)
        {
            reference?.Time(workload.Name);
            workload.Step();
        }
        device.Synchronize();
        device.Counters.Reset();
        var (ours, torch) = (new double[repeats], new double[repeats]);
        for (int i = 0; i < repeats; i++)
        {
            if (reference is not null)
            {
                Thread.Sleep(Quiet);
                torch[i] = reference.Time(workload.Name);
            }
            Thread.Sleep(Quiet);
            var watch = Stopwatch.StartNew();
            workload.Step();
            device.Synchronize();
            ours[i] = watch.Elapsed.TotalMilliseconds;
        }
        var gemm = device.Counters;
        return new(BenchSupport.Median(ours), reference is null ? null : BenchSupport.Median(torch), gemm.Time.TotalMilliseconds / repeats,
            (double)gemm.Calls / repeats, gemm.Flops / Math.Max(1e-9, gemm.Time.TotalSeconds) / 1e9);
    }

    /// <summary>
    /// Pause before each timed run: after a call, OpenBLAS worker threads (ours and PyTorch's) busy-wait for up to
    /// ~0.1 s (its THREAD_TIMEOUT) and PyTorch's OpenMP threads spin too; without the pause one side's spinning
    /// threads steal the cores of the other's next run.
    /// </summary>
    static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
}
