using System.Diagnostics;
using WeJepa.Core.Rng;
using WeJepa.Learning;
using WeJepa.Learning.Optim;
using WeJepa.Training.Jepa;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Study;

/// <summary>
/// The training step of a JEPA config with nothing around it, as <c>bench jepa</c> times its workloads: one fixed input
/// batch and one fixed draw of masks made beforehand, then forward, backward, global-norm clipping, AdamW and the EMA
/// teacher, repeated. The gap to a real run's images/s is what data feeding, logging, checks and checkpoints cost.
/// </summary>
public static class BareStep
{
    /// <summary>The median seconds of <paramref name="repeats"/> steps after one untimed warm-up step.</summary>
    public static double MedianSeconds(Device device, JepaConfig config, int repeats)
    {
        using var model = new JepaModel(device, config);
        var o = config.Optimizer;
        using var optimizer = new AdamW(model.Trained, new AdamWOptions(o.Beta1, o.Beta2, o.Eps));
        var m = config.Model;
        int batch = config.Data.BatchSize;
        int[] shape = config.IsVideo ? [batch, m.Frames, 3, m.ImageSize, m.ImageSize] : [batch, 3, m.ImageSize, m.ImageSize];
        var random = new SplitMix64(config.Hardware.Seed + 4);
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        using var input = Tensor.FromArray(device, values, shape);
        var masks = model.DrawMasks(batch, 0, batch, ref random);
        var tape = new Tape(device);
        var times = new List<double>();
        for (int r = 0; r <= repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var s in model.Trained) s.ZeroGrad();
            tape.Step(() => Autograd.Backward(model.Loss(input, masks)));
            if (o.ClipGrad > 0) GradClip.ClipGlobalNorm(model.Trained, o.ClipGrad);
            optimizer.Step(o.Lr, o.WeightDecay);
            model.UpdateTeacher(o.Ema[0]);
            device.Synchronize();
            if (r > 0) times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
