namespace WeJepa.Learning;

/// <summary>
/// The transformer ops (softmax, layernorm, GELU, attention, patch embedding) have fused,
/// hand-written backward kernels: fast, but their gradients are not themselves recorded on the tape.
/// Asking for a gradient of such a gradient (<c>createGraph: true</c>) is refused here, by name, rather
/// than silently returning a graph that stops at the op.
/// </summary>
static class FusedOps
{
    /// <param name="op">The op, for the message.</param>
    /// <param name="gradient">The gradient its backward was given (its device's step says whether the backward records).</param>
    public static void EnsureFirstOrder(string op, Tensor gradient)
    {
        if (Autograd.IsGradEnabled(gradient.Device))
            throw new NotSupportedException(
                $"{op}: its fused backward is not differentiable twice (createGraph: true cannot pass through this op)");
    }

    /// <summary>All tensors of one op call must live on one device (checked before any launch; the error names the op).</summary>
    public static void SameDevice(string op, Tensor first, params ReadOnlySpan<Tensor?> others)
    {
        foreach (var t in others)
            if (t is not null && t.Device != first.Device)
                throw new ShapeError($"{op}: tensors on different devices ({first.Device}, {t.Device})");
    }

    /// <summary>Host memory of a CPU-accelerator tensor, after pending kernels have finished.</summary>
    public static unsafe float* Host(Tensor t)
    {
        t.Device.SyncBeforeHostAccess();
        return t.Device.HostPointer(t.View);
    }
}
