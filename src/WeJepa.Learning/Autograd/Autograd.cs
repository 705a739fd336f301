using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning;

/// <summary>
/// Reverse-mode differentiation over the recorded graph: <see cref="Backward"/> (accumulate leaf
/// <c>.Grad</c>, like <c>loss.backward()</c>) and <see cref="Grad(Tensor[], Tensor[], Tensor?[], bool, bool)"/>
/// (like <c>torch.autograd.grad</c>, with <c>createGraph</c> for gradients of gradients).
/// </summary>
/// <remarks>
/// Design note — second order. LNN/HNN differentiate a network's input gradient again. We get that by
/// writing each MLP op's backward with differentiable ops (and a few fused, themselves differentiable
/// "grad" ops such as <c>TanhGrad</c>) instead of explicit Jacobian/Hessian kernels: with
/// <c>createGraph</c> the backward runs with recording on, so its ops land on the tape and can be
/// differentiated again, to any order, by the same code. One implementation per op serves first and
/// second order, each op's gradcheck covers both, and new models need no per-model Hessian kernels.
/// The price (more small ops than a fused Hessian) is paid back by fused grad ops and BLAS GEMMs.
/// </remarks>
public static class Autograd
{
    /// <summary>True when ops on <paramref name="device"/> run by this thread are recorded (inside a step, grad mode on).</summary>
    public static bool IsGradEnabled(Device device) => device.Steps.Current is { GradEnabled: true };

    /// <summary>
    /// <c>using (Autograd.NoGrad(device)) { … }</c>: nothing inside is recorded, for code that has the device but not
    /// the tape (a model's inference path). Outside a step nothing records anyway, and this does nothing.
    /// </summary>
    public static IDisposable NoGrad(Device device) => device.Steps.Current?.SetGradEnabled(false) ?? new Restore(() => { });

    /// <summary>Re-enables recording inside a NoGrad region of the current step.</summary>
    public static IDisposable EnableGrad(Device device) => device.Steps.Current?.SetGradEnabled(true) ?? new Restore(() => { });

    internal static void CheckFinite(string op, Tensor output, string? backwardOfOp)
    {
        var values = output.ToArray();
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new NonFiniteError(
                    $"'{op}'{(backwardOfOp is null ? "" : $" (in the backward of '{backwardOfOp}')")} produced {values[i]} at element {i} of its output {Shapes.Format(output.Shape)}",
                    op);
    }

    /// <summary>Accumulates d<paramref name="loss"/>/dleaf into the <c>.Grad</c> of every leaf that requires a gradient.</summary>
    /// <param name="gradOutput">Seed gradient; defaults to 1 for a one-element loss.</param>
    public static void Backward(Tensor loss, Tensor? gradOutput = null)
    {
        var grads = Run([loss], [gradOutput], targets: null, createGraph: false);
        foreach (var (leaf, g) in grads)
        {
            if (!leaf.IsLeaf) continue;
            if (leaf.Grad is null)
            {
                // a leaf no store owns: the step owns its gradient and resets Grad when it ends
                var owned = Tensor.Empty(leaf.Device, leaf.Shape);
                owned.CopyFrom(g);
                leaf.Grad = owned;
                leaf.Device.Steps.Current!.LeafGrads.Add(leaf);
            }
            else
            {
                if (leaf.Grad.Length != leaf.Length)
                    throw new ShapeError($"Backward: pre-assigned Grad {Shapes.Format(leaf.Grad.Shape)} does not match {leaf}");
                Ops.AddInPlace(leaf.Grad, g);
            }
        }
    }

    /// <summary>Gradients of sum(outputs·gradOutputs) with respect to <paramref name="inputs"/>, like <c>torch.autograd.grad</c>.</summary>
    /// <param name="createGraph">Record the backward so the results can be differentiated again.</param>
    /// <param name="allowUnused">Return null for an input the outputs do not depend on instead of throwing.</param>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs = null,
        bool createGraph = false, bool allowUnused = false)
    {
        var targets = new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);
        var grads = Run(outputs, gradOutputs ?? new Tensor?[outputs.Length], targets, createGraph);
        var result = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads.TryGetValue(inputs[i], out var g)) result[i] = g;
            else if (!allowUnused)
                throw new InvalidOperationException($"Grad: the outputs do not depend on input {i} ({inputs[i]}); pass allowUnused: true");
        }
        return result;
    }

    /// <summary>Single-output, single-input form of <see cref="Grad(Tensor[], Tensor[], Tensor?[], bool, bool)"/>.</summary>
    public static Tensor Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool createGraph = false)
        => Grad([output], [input], [gradOutput], createGraph)[0]!;

    /// <summary>
    /// The engine: nodes in reverse topological order, each backward fed the summed gradient of its
    /// output. With <paramref name="targets"/>, only nodes on a path to a target run (so an input
    /// gradient does not compute weight gradients). Returns the gradient of every reached tensor
    /// that is a leaf or a target.
    /// </summary>
    static Dictionary<Tensor, Tensor> Run(Tensor[] outputs, Tensor?[] gradOutputs, HashSet<Tensor>? targets, bool createGraph)
    {
        if (outputs.Length == 0) throw new ArgumentException("Grad/Backward: no outputs");
        var step = outputs[0].Device.Steps.Current ?? throw new InvalidOperationException(
            $"Grad/Backward: no step is running on {outputs[0].Device} on this thread; run the forward and backward inside tape.Step(…)");
        var order = TopologicalOrder(outputs);
        var needed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in order) // inputs before outputs
            foreach (var input in node.Inputs)
                if (input.RequiresGrad && (targets is null || targets.Contains(input) || (input.GradFn is { } f && needed.Contains(f))))
                {
                    needed.Add(node);
                    break;
                }

        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        using (step.SetGradEnabled(createGraph))
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                var o = outputs[i];
                if (!o.RequiresGrad) throw new InvalidOperationException($"Grad/Backward: output {i} ({o}) does not require a gradient");
                var seed = gradOutputs[i];
                if (seed is null && o.Length != 1)
                    throw new ShapeError($"Grad/Backward: output {i} has shape {Shapes.Format(o.Shape)}; pass a gradOutput for a non-scalar output");
                if (seed is not null && !Shapes.Equal(seed.Shape, o.Shape))
                    throw new ShapeError($"Grad/Backward: gradOutput {Shapes.Format(seed.Shape)} does not match output {Shapes.Format(o.Shape)}");
                Accumulate(grads, o, seed ?? Tensor.Full(o.Device, 1f, o.Shape));
            }

            var outer = step.BackwardOfOp;
            try
            {
                for (int k = order.Count - 1; k >= 0; k--)
                {
                    var node = order[k];
                    if (!needed.Contains(node) || !grads.TryGetValue(node.Output, out var g)) continue;
                    node.CheckSavedUnchanged();
                    var needs = new bool[node.Inputs.Length];
                    for (int i = 0; i < needs.Length; i++)
                    {
                        var input = node.Inputs[i];
                        needs[i] = input.RequiresGrad && (targets is null || targets.Contains(input) || (input.GradFn is { } f && needed.Contains(f)));
                    }
                    step.BackwardOfOp = node.Op;
                    var inputGrads = node.Backward(g, needs);
                    for (int i = 0; i < needs.Length; i++)
                    {
                        if (!needs[i] || inputGrads[i] is not { } gi) continue;
                        if (!Shapes.Equal(gi.Shape, node.Inputs[i].Shape))
                            throw new ShapeError($"backward of '{node.Op}': gradient {Shapes.Format(gi.Shape)} for input {i} of shape {Shapes.Format(node.Inputs[i].Shape)}");
                        Accumulate(grads, node.Inputs[i], gi);
                    }
                    if (targets is null || !targets.Contains(node.Output)) grads.Remove(node.Output);
                }
            }
            finally
            {
                step.BackwardOfOp = outer;
            }
        }
        return grads;
    }

    static void Accumulate(Dictionary<Tensor, Tensor> grads, Tensor t, Tensor g)
        => grads[t] = grads.TryGetValue(t, out var existing) ? Ops.Add(existing, g) : g;

    /// <summary>Nodes reachable from <paramref name="outputs"/>, every node after all nodes of its inputs (iterative DFS).</summary>
    static List<Node> TopologicalOrder(Tensor[] outputs)
    {
        var order = new List<Node>();
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node node, int next)>();
        foreach (var o in outputs)
        {
            if (o.GradFn is not { } root || !visited.Add(root)) continue;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.Inputs.Length)
                {
                    stack.Push((node, next + 1));
                    if (node.Inputs[next].GradFn is { } child && visited.Add(child)) stack.Push((child, 0));
                }
                else order.Add(node);
            }
        }
        return order;
    }
}

/// <summary>Anomaly mode found NaN/Inf; <see cref="Op"/> names the op that produced it first.</summary>
public sealed class NonFiniteError(string message, string op) : ArithmeticException(message)
{
    public string Op { get; } = op;
}
