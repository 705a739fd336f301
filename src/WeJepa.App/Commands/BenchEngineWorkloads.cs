using System.Diagnostics;
using WeJepa.Learning;
using WeJepa.Learning.Models;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.App.Commands;

/// <summary>
/// The engine's side of <c>wejepa bench engine</c>: the same three workloads as
/// tools/reference/torch_engine_bench.py, each timed as the median of <c>repeats</c> runs after
/// <c>warmup</c> untimed ones, synchronising the device around every run.
/// </summary>
public static class BenchEngineWorkloads
{
    public const int GemmM = 4096, GemmK = 384, GemmN = 384;
    public const int LayerBatch = 64, LayerTokens = 64, LayerDim = 384, LayerHeads = 6;
    public const int HnnBatch = 4096, HnnHidden = 256;

    /// <summary>A workload's median time and, on the CPU device, the share of each run spent in BLAS GEMMs.</summary>
    public sealed record Timing(double MedianMs, double GemmMsPerRun, double GemmCallsPerRun, double GemmGFlops)
    {
        public string GemmShare => GemmCallsPerRun == 0 ? "-"
            : $"{100 * GemmMsPerRun / MedianMs:F0}% in {GemmCallsPerRun:F0} GEMMs ({GemmGFlops:F0} GFLOP/s)";
    }

    /// <summary>C (4096×384) = A (4096×384)·B (384×384).</summary>
    public static Timing Sgemm(Device device, int repeats, int warmup)
    {
        using var scope = new TensorScope();
        var a = Random(device, 1, GemmM, GemmK);
        var b = Random(device, 2, GemmK, GemmN);
        var c = Tensor.Empty(device, GemmM, GemmN);
        return MedianMs(device, repeats, warmup, () =>
            device.Gemm(false, false, GemmM, GemmN, GemmK, 1f, a.View, GemmK, b.View, GemmN, 0f, c.View, GemmN));
    }

    public static double GFlops(double ms) => 2.0 * GemmM * GemmN * GemmK / (ms * 1e-3) / 1e9;

    /// <summary>One pre-norm GELU encoder layer (D 384, 6 heads, FF 1536) forward + backward on x (64, 64, 384), ones upstream.</summary>
    public static Timing Layer(Device device, int repeats, int warmup)
    {
        var layer = new TransformerEncoderLayer(LayerDim, LayerHeads);
        using var parameters = ParameterStore.Create(device, layer.Parameters, seed: 1);
        using var scope = new TensorScope();
        var x = Random(device, 3, LayerBatch, LayerTokens, LayerDim);
        x.RequiresGrad = true;
        var ones = Tensor.Full(device, 1f, LayerBatch, LayerTokens, LayerDim);
        return MedianMs(device, repeats, warmup, () =>
        {
            using var step = new TensorScope();
            parameters.ZeroGrad();
            x.Grad = null;
            Autograd.Backward(layer.Forward(parameters, x), ones);
            x.Grad?.Dispose();
        });
    }

    /// <summary>One HNN training step at batch 4096: field with the second-order graph, MSE, backward, AdamW.</summary>
    public static Timing HnnStep(Device device, int repeats, int warmup)
    {
        using var hnn = new Hnn(device, HnnHidden, seed: 1);
        using var adamW = new AdamW(hnn.Parameters);
        using var scope = new TensorScope();
        var states = new System.Random(4);
        var host = Enumerable.Range(0, 2 * HnnBatch).Select(_ => (float)(states.NextDouble() * 4 - 2)).ToArray();
        var target = new float[2 * HnnBatch];
        for (int i = 0; i < HnnBatch; i++) (target[2 * i], target[2 * i + 1]) = (host[2 * i + 1], -MathF.Sin(host[2 * i]));
        var x = Tensor.FromArray(device, host, HnnBatch, 2);
        var dxdt = Tensor.FromArray(device, target, HnnBatch, 2);
        return MedianMs(device, repeats, warmup, () =>
        {
            using var step = new TensorScope();
            hnn.Parameters.ZeroGrad();
            Autograd.Backward(hnn.Loss(x, dxdt));
            adamW.Step(1e-3, 0.0);
        });
    }

    static Tensor Random(Device device, int seed, params int[] shape)
    {
        var random = new System.Random(seed);
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return Tensor.FromArray(device, values, shape);
    }

    static Timing MedianMs(Device device, int repeats, int warmup, Action run)
    {
        for (int i = 0; i < warmup; i++) run();
        device.Synchronize();
        device.Counters.Reset();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            run();
            device.Synchronize();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        double median = repeats % 2 == 1 ? times[repeats / 2] : 0.5 * (times[repeats / 2 - 1] + times[repeats / 2]);
        var gemm = device.Counters;
        return new Timing(median, gemm.Time.TotalMilliseconds / repeats, (double)gemm.Calls / repeats,
            gemm.Flops / Math.Max(1e-9, gemm.Time.TotalSeconds) / 1e9);
    }
}
