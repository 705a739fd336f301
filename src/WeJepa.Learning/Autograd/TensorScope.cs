namespace WeJepa.Learning;

/// <summary>
/// Disposes every tensor created (by <see cref="Tensor.Empty"/>, so by every op) while it is the innermost
/// scope on this thread: wrap a training step in one and its activations, gradients of intermediates and
/// temporaries all go back to the pool at the end. <see cref="Keep"/> lets a result outlive the scope.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] static TensorScope? current;
    readonly TensorScope? parent;
    readonly List<Tensor> owned = [];
    bool disposed;

    public TensorScope()
    {
        parent = current;
        current = this;
    }

    internal static void Register(Tensor t) => current?.owned.Add(t);

    /// <summary>Moves <paramref name="t"/> out of this scope: to the enclosing scope if any, else to the caller.</summary>
    public Tensor Keep(Tensor t)
    {
        if (owned.Remove(t)) parent?.owned.Add(t);
        return t;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (current != this) throw new InvalidOperationException("TensorScopes must be disposed innermost first");
        current = parent;
        foreach (var t in owned) t.Dispose();
        owned.Clear();
    }
}
