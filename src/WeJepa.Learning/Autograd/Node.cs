namespace WeJepa.Learning;

/// <summary>
/// Computes the gradients of an op's inputs from the gradient of its output. <paramref name="needsInputGrad"/>[i]
/// says whether input i needs one (return null where it does not). When the caller asked for
/// <c>createGraph</c>, the body runs with gradients enabled, so it must be written with differentiable ops
/// for second-order gradients to exist.
/// </summary>
public delegate Tensor?[] BackwardFn(Tensor gradOutput, bool[] needsInputGrad);

/// <summary>One entry of the tape: the op that produced <see cref="Output"/>, its inputs, and how to differentiate it.</summary>
public sealed class Node
{
    public string Op { get; }
    public Tensor Output { get; }
    public Tensor[] Inputs { get; }
    internal BackwardFn Backward { get; }
    readonly Tensor[] saved;
    readonly int[] savedVersions;

    internal Node(string op, Tensor output, Tensor[] inputs, BackwardFn backward, Tensor[] saved)
    {
        Op = op;
        Output = output;
        Inputs = inputs;
        Backward = backward;
        this.saved = saved;
        savedVersions = saved.Select(t => t.Version).ToArray();
    }

    /// <summary>The Warp pitfall, made an error: a tensor this op saved was written in place after the forward.</summary>
    internal void CheckSavedUnchanged()
    {
        for (int i = 0; i < saved.Length; i++)
            if (saved[i].Version != savedVersions[i])
                throw new InvalidOperationException(
                    $"backward of '{Op}': a tensor it saved ({saved[i]}) was modified in place after the forward " +
                    $"(version {savedVersions[i]} → {saved[i].Version}); its gradient would be wrong");
    }
}
