using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning;

/// <summary>
/// A training step's owner and recorder, held by the caller (Warp's <c>wp.Tape</c>, with the step's memory):
/// <code>
/// var tape = new Tape(device);               // once, beside the model
/// for (…)
///     float loss = tape.Step(() =>
///     {
///         store.ZeroGrad();
///         var l = model.Loss(x, y);
///         Autograd.Backward(l);               // parameter gradients land in the store
///         optimizer.Step(lr, wd);
///         return l.Item();
///     });                                     // every tensor the step made is back in the pool here
/// </code>
/// </summary>
/// <remarks>
/// Design note — ownership and ordering.
/// <list type="number">
/// <item>A parameter's value and gradient are views of its <see cref="Parameters.ParameterStore"/>'s two flat
/// buffers: the store owns both for its lifetime; <c>ZeroGrad</c> (the store's or the optimizer's) zeroes them.
/// Backward only ever adds into them.</item>
/// <item>Everything else allocated on the device by the thread running a step — op outputs, gradients of
/// intermediates, temporaries, the gradient Backward gives a leaf that no store owns — is owned by that step and
/// goes back to the pool when the step's body returns or throws. Such a leaf's <c>Grad</c> is reset to null then,
/// so nothing points at recycled memory. <see cref="Keep"/> hands a tensor to the enclosing step, or to the caller
/// (who then disposes it) when there is none.</item>
/// <item>Ops record onto the graph only inside a step and only while its gradient mode is on
/// (<see cref="NoGrad"/>, <see cref="Autograd.NoGrad(Device)"/>). Outside a step nothing is recorded and what an op
/// returns belongs to the caller.</item>
/// <item>A device runs the steps of one thread at a time: steps nest (innermost owns new tensors), and a step
/// begun on another thread while one runs is an error, since both would queue onto one stream.</item>
/// <item>A released pooled buffer carries the stream its last work was queued on. The pool hands it out again at
/// once for work on that same stream (stream order puts the new writer after the old readers); for any other
/// stream it first waits for the old stream to drain. Host loops on the CPU accelerator wait for pending kernels
/// before they touch memory. Foreign memory (a wrapped simulator buffer) is never pooled or freed here.</item>
/// </list>
/// </remarks>
public sealed class Tape(Device device)
{
    public Device Device { get; } = device;

    /// <summary>Debug mode: every op output (forward and backward) is checked for NaN/Inf and the first op that
    /// produces one throws <see cref="NonFiniteError"/> naming it. Costs a device→host copy per op.</summary>
    public bool DetectAnomaly { get; set; }

    /// <summary>Runs <paramref name="body"/> as one step: what it allocates is freed when it ends (see the note).</summary>
    public void Step(Action body)
    {
        Begin();
        try { body(); }
        finally { End(); }
    }

    /// <summary>Like <see cref="Step(Action)"/>, returning the body's result (a host value, or a tensor passed through <see cref="Keep"/>).</summary>
    public T Step<T>(Func<T> body)
    {
        Begin();
        try
        {
            var result = body();
            if (result is Tensor t && Device.Steps.Top(this)!.Owned.Exists(o => o.SharesMemoryWith(t)))
                throw new InvalidOperationException($"Step: the body returned {t}, which the step frees as it ends; return tape.Keep(…) of it");
            return result;
        }
        finally { End(); }
    }

    /// <summary>True while one of this tape's steps runs on the calling thread.</summary>
    public bool IsActive => Device.Steps.Top(this) is not null;

    /// <summary>True when ops on this thread would be recorded by this tape's current step.</summary>
    public bool IsGradEnabled => Device.Steps.Top(this) is { GradEnabled: true };

    /// <summary><c>using (tape.NoGrad()) { … }</c>: nothing inside is recorded.</summary>
    public IDisposable NoGrad() => SetGradEnabled(false);

    /// <summary>Re-enables recording inside a NoGrad region.</summary>
    public IDisposable EnableGrad() => SetGradEnabled(true);

    IDisposable SetGradEnabled(bool enabled) => (Device.Steps.Top(this) ?? throw NotInStep("NoGrad/EnableGrad")).SetGradEnabled(enabled);

    /// <summary>
    /// Moves <paramref name="t"/> (or, for a view, the tensor owning its memory) out of the current step: to the
    /// enclosing step if any, else to the caller, who disposes it.
    /// </summary>
    public Tensor Keep(Tensor t)
    {
        var step = Device.Steps.Top(this) ?? throw NotInStep("Keep");
        int i = step.Owned.FindIndex(o => o.SharesMemoryWith(t));
        if (i >= 0)
        {
            var memoryOwner = step.Owned[i];
            step.Owned.RemoveAt(i);
            Device.Steps.Below(step)?.Owned.Add(memoryOwner);
        }
        return t;
    }

    /// <summary>Tensors owned by this tape's running steps (0 between steps: a loop that holds this flat leaks nothing).</summary>
    public int LiveTensors => Device.Steps.OwnedBy(this);

    InvalidOperationException NotInStep(string what) =>
        new($"{what}: no step of this tape is running on this thread (call it inside tape.Step(…))");

    /// <summary>Opens a step; tests use it around a whole test, everything else <see cref="Step(Action)"/>.</summary>
    internal void Begin() => Device.Steps.Push(this);

    internal void End() => Device.Steps.Pop(this);

    // ------------------------------------------------------------------ recording (called by every op)

    /// <summary>True when an op over <paramref name="inputs"/> would be recorded.</summary>
    public static bool IsRecording(params ReadOnlySpan<Tensor> inputs)
    {
        if (inputs.Length == 0 || inputs[0].Device.Steps.Current is not { GradEnabled: true }) return false;
        foreach (var t in inputs)
            if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Every op calls this once with its output: in anomaly mode the output is checked, and when the current step
    /// records and an input requires a gradient, the output is linked to a <see cref="Node"/> (micrograd style: the
    /// graph lives in the tensors' GradFn links).
    /// </summary>
    /// <param name="op">Name in messages ("tanh", "matmul").</param>
    /// <param name="output">The op's result.</param>
    /// <param name="inputs">Differentiable inputs, in the order <paramref name="backward"/> returns gradients.</param>
    /// <param name="backward">Gradient of each input from the output's gradient.</param>
    /// <param name="saved">Tensors the backward reads; writing one in place before backward is an error.</param>
    public static Tensor Record(string op, Tensor output, Tensor[] inputs, BackwardFn backward, params Tensor[] saved)
    {
        if (output.Device.Steps.Current is { Tape.DetectAnomaly: true } step) Autograd.CheckFinite(op, output, step.BackwardOfOp);
        if (IsRecording(inputs))
        {
            output.GradFn = new Node(op, output, inputs, backward, saved);
            output.RequiresGrad = true;
        }
        return output;
    }
}
