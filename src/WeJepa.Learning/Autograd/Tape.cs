namespace WeJepa.Learning;

/// <summary>
/// The recording side of autograd. Every op calls <see cref="Record"/> once with its output: the tape
/// checks the output in anomaly mode and, when gradients are enabled and an input requires one, links
/// the output to a <see cref="Node"/> (micrograd style: the graph lives in the tensors' GradFn links).
/// </summary>
public static class Tape
{
    /// <summary>True when an op over <paramref name="inputs"/> would be recorded.</summary>
    public static bool IsRecording(params ReadOnlySpan<Tensor> inputs)
    {
        if (!Autograd.IsGradEnabled) return false;
        foreach (var t in inputs)
            if (t.RequiresGrad) return true;
        return false;
    }

    /// <param name="op">Name in messages ("tanh", "matmul").</param>
    /// <param name="output">The op's result.</param>
    /// <param name="inputs">Differentiable inputs, in the order <paramref name="backward"/> returns gradients.</param>
    /// <param name="backward">Gradient of each input from the output's gradient.</param>
    /// <param name="saved">Tensors the backward reads; writing one in place before backward is an error.</param>
    public static Tensor Record(string op, Tensor output, Tensor[] inputs, BackwardFn backward, params Tensor[] saved)
    {
        if (Autograd.IsAnomalyDetectionEnabled) Autograd.CheckFinite(op, output);
        if (IsRecording(inputs))
        {
            output.GradFn = new Node(op, output, inputs, backward, saved);
            output.RequiresGrad = true;
        }
        return output;
    }
}
