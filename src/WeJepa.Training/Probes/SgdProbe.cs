namespace WeJepa.Training.Probes;

/// <summary>One epoch of an SGD head: its mean training loss, and validation R² per target (regression) or accuracy (classification).</summary>
public sealed record ProbeEpoch(int Epoch, double TrainLoss, double[] ValidationRSquared, double? ValidationAccuracy);

/// <summary>How an SGD head is trained: epochs, minibatch, step η (relative: divided by the mean ‖x‖²), momentum, L2 decay.</summary>
public sealed record SgdSettings(int Epochs = 20, int Batch = 64, double Step = 0.05, double Momentum = 0.9, double WeightDecay = 1e-4, ulong Seed = 0);

/// <summary>
/// A linear head trained by minibatch SGD with momentum on standardised features, as a probe is trained on a frozen
/// encoder: regression of the targets (each standardised by its training std; MSE) or classification of the labels
/// (softmax cross-entropy). The step is η / mean‖x‖² (normalised LMS), so one η suits 64 pooled features and 12 288
/// raw pixels alike. Every epoch reports validation metrics, so a curve shows whether the head still learns.
/// </summary>
public static class SgdProbe
{
    public static IReadOnlyList<ProbeEpoch> Regression(ProbeSet train, ProbeSet validation, SgdSettings s)
    {
        int t = train.TargetSize;
        var mean = Standardized.ColumnMeans(train.Targets, t);
        var scale = new double[t];
        for (int i = 0; i < train.Targets.Length; i++) scale[i % t] += Math.Pow(train.Targets[i] - mean[i % t], 2);
        for (int c = 0; c < t; c++) scale[c] = Math.Sqrt(scale[c] / train.Count) is var std && std > 1e-12 ? std : 1;
        double[] Scaled(ProbeSet set) => set.Targets.Select((v, i) => (v - mean[i % t]) / scale[i % t]).ToArray();
        var y = Scaled(train);
        return Train(train, validation, t, s,
            (z, row, grad) =>
            {
                double loss = 0;
                for (int c = 0; c < t; c++)
                {
                    double e = z[c] - y[row * t + c];
                    (grad[c], loss) = (e, loss + 0.5 * e * e);
                }
                return loss;
            },
            predicted => new ProbeEpoch(0, 0, Standardized.RSquared(validation.Targets,
                predicted.Select((v, i) => v * scale[i % t] + mean[i % t]).ToArray(), t), null));
    }

    public static IReadOnlyList<ProbeEpoch> Classification(ProbeSet train, ProbeSet validation, int classes, SgdSettings s)
    {
        if (classes < 2) throw new ArgumentException($"probe: classification needs at least 2 classes, got {classes}");
        return Train(train, validation, classes, s,
            (z, row, grad) =>
            {
                double max = z.Max(), sum = 0;
                for (int c = 0; c < classes; c++) sum += grad[c] = Math.Exp(z[c] - max);
                for (int c = 0; c < classes; c++) grad[c] /= sum;
                int label = train.Labels[row];
                double loss = -Math.Log(Math.Max(grad[label], 1e-300));
                grad[label] -= 1;
                return loss;
            },
            predicted =>
            {
                int correct = 0;
                for (int r = 0; r < validation.Count; r++)
                {
                    var z = predicted.AsSpan(r * classes, classes);
                    int argmax = 0;
                    for (int c = 1; c < classes; c++) if (z[c] > z[argmax]) argmax = c;
                    if (argmax == validation.Labels[r]) correct++;
                }
                return new ProbeEpoch(0, 0, [], (double)correct / validation.Count);
            });
    }

    /// <summary>The loss of one sample's outputs z (C) for training row <c>row</c>; writes ∂loss/∂z into the third argument.</summary>
    delegate double SampleLoss(double[] z, int row, double[] gradient);

    static IReadOnlyList<ProbeEpoch> Train(ProbeSet train, ProbeSet validation, int outputs, SgdSettings s,
        SampleLoss loss, Func<double[], ProbeEpoch> evaluate)
    {
        if (s.Epochs < 1 || s.Batch < 1) throw new ArgumentException($"probe: epochs {s.Epochs} and batch {s.Batch} must be positive");
        var standard = new Standardized(train);
        var (x, xv) = (standard.Apply(train), standard.Apply(validation));
        int n = train.Count, f = train.FeatureSize;
        double squaredNorm = x.Sum(v => v * v) / n;
        double step = s.Step / Math.Max(squaredNorm, 1);
        var (w, b) = (new double[f * outputs], new double[outputs]);     // W (F, C), bias (C)
        var (vw, vb) = (new double[w.Length], new double[outputs]);     // momentum buffers
        var (gw, gb) = (new double[w.Length], new double[outputs]);
        var (z, dz) = (new double[outputs], new double[outputs]);
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(unchecked((int)s.Seed ^ (int)(s.Seed >> 32)));
        var epochs = new List<ProbeEpoch>();
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            random.Shuffle(order);
            double total = 0;
            for (int start = 0; start < n; start += s.Batch)
            {
                int count = Math.Min(s.Batch, n - start);
                Array.Clear(gw);
                Array.Clear(gb);
                for (int k = start; k < start + count; k++)
                {
                    int row = order[k];
                    var xr = x.AsSpan(row * f, f);
                    Forward(xr, w, b, z);
                    total += loss(z, row, dz);
                    for (int c = 0; c < outputs; c++) gb[c] += dz[c];
                    for (int j = 0; j < f; j++)
                    {
                        double v = xr[j];
                        for (int c = 0; c < outputs; c++) gw[j * outputs + c] += v * dz[c];
                    }
                }
                for (int i = 0; i < w.Length; i++)
                {
                    vw[i] = s.Momentum * vw[i] + gw[i] / count + s.WeightDecay * w[i];
                    w[i] -= step * vw[i];
                }
                for (int c = 0; c < outputs; c++)
                {
                    vb[c] = s.Momentum * vb[c] + gb[c] / count;
                    b[c] -= step * vb[c];
                }
            }
            var predicted = new double[validation.Count * outputs];
            for (int r = 0; r < validation.Count; r++)
            {
                Forward(xv.AsSpan(r * f, f), w, b, z);
                z.CopyTo(predicted, r * outputs);
            }
            if (!Array.TrueForAll(w, double.IsFinite)) throw new ArithmeticException($"probe: the SGD head diverged in epoch {epoch}");
            epochs.Add(evaluate(predicted) with { Epoch = epoch, TrainLoss = total / n });
        }
        return epochs;
    }

    static void Forward(ReadOnlySpan<double> x, double[] w, double[] b, double[] z)
    {
        int outputs = b.Length;
        b.CopyTo(z, 0);
        for (int j = 0; j < x.Length; j++)
        {
            double v = x[j];
            for (int c = 0; c < outputs; c++) z[c] += v * w[j * outputs + c];
        }
    }
}
