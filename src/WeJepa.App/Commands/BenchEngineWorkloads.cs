using System.Diagnostics;
using WeJepa.Learning;
using WeJepa.Learning.Models;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Devices;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.App.Commands;

/// <summary>
/// One workload of <c>wejepa bench engine</c>, the same as tools/reference/torch_engine_bench.py's of the same
/// <see cref="Name"/>: set up once, then <see cref="Step"/> runs it once (the caller synchronises and times).
/// </summary>
public sealed class BenchEngineWorkload : IDisposable
{
    public const int GemmM = 4096, GemmK = 384, GemmN = 384;

    /// <summary>
    /// Products per sgemm run, back to back (as torch_engine_bench.py's BURST): a GEMM's steady rate. A lone product
    /// right after the runs' quiet pause also pays the BLAS threads' wake-up (measured here: ~290 vs ~430 GFLOP/s).
    /// </summary>
    public const int GemmBurst = 8;
    public const int LayerBatch = 64, LayerTokens = 64, LayerDim = 384, LayerHeads = 6;
    public const int HnnBatch = 4096, HnnHidden = 256;

    readonly IDisposable[] owned;    // inputs, models, optimizers (made outside any step: ours to dispose)

    public string Name { get; }
    public Action Step { get; }

    /// <summary>A workload named as its PyTorch peer, <paramref name="step"/> one run; it disposes <paramref name="owned"/> with itself.</summary>
    public BenchEngineWorkload(string name, Action step, params IDisposable[] owned) =>
        (Name, Step, this.owned) = (name, step, owned);

    /// <summary>GFLOP/s of one product taking <paramref name="ms"/> (a run's time over <see cref="GemmBurst"/>).</summary>
    public static double GemmGFlops(double ms) => 2.0 * GemmM * GemmN * GemmK / (ms * 1e-3) / 1e9;

    /// <summary><see cref="GemmBurst"/> times C (4096×384) = A (4096×384)·B (384×384).</summary>
    public static BenchEngineWorkload Sgemm(Device device)
    {
        var a = Random(device, 1, GemmM, GemmK);
        var b = Random(device, 2, GemmK, GemmN);
        var c = Tensor.Empty(device, GemmM, GemmN);
        return new("sgemm", () =>
        {
            for (int i = 0; i < GemmBurst; i++) device.Gemm(false, false, GemmM, GemmN, GemmK, 1f, a.View, GemmK, b.View, GemmN, 0f, c.View, GemmN);
        }, a, b, c);
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

/// <summary>A PyTorch run to time beside ours: one workload of one reference process (one <see cref="PyTorchSetting"/>).</summary>
public sealed record BenchEnginePeer(BenchEngineReference Reference, string Workload, string Label);

/// <summary>One of our runs: a workload on a device (for the sgemm rows, one device per BLAS backend).</summary>
public sealed record BenchEngineOurs(string Label, Device Device, BenchEngineWorkload Workload);

/// <summary>Median of one of our workloads and where its time went (the device's GEMM counters over the timed runs).</summary>
public sealed record BenchEngineResult(string Label, double MedianMs, double GemmMsPerRun, double GemmCallsPerRun, double ProductsPerRun, string GemmByBackend)
{
    public string GemmShare => GemmCallsPerRun == 0 ? "-"
        : $"{GemmMsPerRun:F1} ms of {MedianMs:F1} ({100 * GemmMsPerRun / MedianMs:F0}%) in {GemmCallsPerRun:F0} GEMM calls / {ProductsPerRun:F0} products ({GemmByBackend})";
}

/// <summary>Medians of our workloads and of their PyTorch peers, timed run for run in alternation.</summary>
public sealed record BenchEngineTiming(IReadOnlyList<BenchEngineResult> Ours, IReadOnlyList<(string Label, double MedianMs)> Peers)
{
    /// <summary>The fastest PyTorch peer (null without a reference).</summary>
    public (string Label, double MedianMs)? Strongest => Peers.Count == 0 ? null : Peers.MinBy(p => p.MedianMs);

    /// <summary>The first peer: PyTorch as installed, its default path.</summary>
    public (string Label, double MedianMs)? AsInstalled => Peers.Count == 0 ? null : Peers[0];

    public double? Ratio(BenchEngineResult ours) => Strongest is { } s ? ours.MedianMs / s.MedianMs : null;

    /// <summary>
    /// <paramref name="warmup"/> untimed then <paramref name="repeats"/> timed runs; in each, every peer and then each of
    /// ours runs once, so all of them see the same machine load.
    /// </summary>
    public static BenchEngineTiming Measure(IReadOnlyList<BenchEngineOurs> ours, IReadOnlyList<BenchEnginePeer> peers, int repeats, int warmup)
    {
        for (int i = 0; i < warmup; i++)
        {
            foreach (var peer in peers) peer.Reference.Time(peer.Workload);
            foreach (var o in ours) o.Workload.Step();
        }
        var oursMs = ours.Select(_ => new double[repeats]).ToArray();
        var peersMs = peers.Select(_ => new double[repeats]).ToArray();
        var gemm = ours.Select(_ => (ms: 0.0, calls: 0L, products: 0L, byBackend: new Dictionary<string, double>())).ToArray();
        for (int i = 0; i < repeats; i++)
        {
            for (int p = 0; p < peers.Count; p++)
            {
                Thread.Sleep(Quiet);
                peersMs[p][i] = peers[p].Reference.Time(peers[p].Workload);
            }
            for (int o = 0; o < ours.Count; o++)
            {
                var device = ours[o].Device;
                Thread.Sleep(Quiet);
                device.Synchronize();
                device.Counters.Reset();
                var watch = Stopwatch.StartNew();
                ours[o].Workload.Step();
                device.Synchronize();
                oursMs[o][i] = watch.Elapsed.TotalMilliseconds;
                gemm[o].ms += device.Counters.Time.TotalMilliseconds;
                gemm[o].calls += device.Counters.Calls;
                gemm[o].products += device.Counters.Products;
                foreach (var backend in new[] { BlasBackend.OpenBlas, BlasBackend.OneDnn })
                    gemm[o].byBackend[backend.ToString()] = gemm[o].byBackend.GetValueOrDefault(backend.ToString()) + device.Counters.Of(backend).Time.TotalMilliseconds;
            }
        }
        var results = ours.Select((o, k) => new BenchEngineResult(o.Label, BenchSupport.Median(oursMs[k]), gemm[k].ms / repeats, (double)gemm[k].calls / repeats, (double)gemm[k].products / repeats,
            string.Join(", ", gemm[k].byBackend.Where(b => b.Value > 0).Select(b => $"{b.Key} {b.Value / repeats:F1} ms")))).ToList();
        return new(results, peers.Select((p, k) => (p.Label, BenchSupport.Median(peersMs[k]))).ToList());
    }

    /// <summary>
    /// Pause before each timed run: after a call, OpenBLAS worker threads (ours and PyTorch's) busy-wait for up to
    /// ~0.1 s (its THREAD_TIMEOUT) and PyTorch's OpenMP threads spin too; without the pause one side's spinning
    /// threads steal the cores of the other's next run.
    /// </summary>
    static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
}
