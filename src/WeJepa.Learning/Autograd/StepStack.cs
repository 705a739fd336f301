namespace WeJepa.Learning;

/// <summary>One running <see cref="Tape.Step(Action)"/>: the tensors it owns and its gradient mode.</summary>
sealed class StepFrame(Tape tape)
{
    public Tape Tape { get; } = tape;
    public List<Tensor> Owned { get; } = [];
    /// <summary>Leaves (outside any parameter store) whose Grad this step allocated; reset when it ends.</summary>
    public List<Tensor> LeafGrads { get; } = [];
    public bool GradEnabled { get; private set; } = true;
    /// <summary>The op whose backward is running (anomaly messages name it).</summary>
    public string? BackwardOfOp { get; set; }

    public IDisposable SetGradEnabled(bool enabled)
    {
        bool saved = GradEnabled;
        GradEnabled = enabled;
        return new Restore(() => GradEnabled = saved);
    }

    public void Free()
    {
        foreach (var leaf in LeafGrads) leaf.Grad = null;
        foreach (var t in Owned) t.Dispose();
        LeafGrads.Clear();
        Owned.Clear();
    }
}

/// <summary>
/// The steps running on one device, innermost last, all on one thread (see the ownership note on <see cref="Tape"/>).
/// Other threads see no step: what they allocate is theirs and nothing they run is recorded.
/// </summary>
sealed class StepStack
{
    readonly List<StepFrame> frames = [];
    int thread;

    /// <summary>The innermost step of the calling thread, or null.</summary>
    public StepFrame? Current => frames.Count > 0 && thread == Environment.CurrentManagedThreadId ? frames[^1] : null;

    /// <summary>The innermost step of <paramref name="tape"/> on the calling thread, or null.</summary>
    public StepFrame? Top(Tape tape)
    {
        if (frames.Count == 0 || thread != Environment.CurrentManagedThreadId) return null;
        for (int i = frames.Count - 1; i >= 0; i--)
            if (frames[i].Tape == tape) return frames[i];
        return null;
    }

    public StepFrame? Below(StepFrame frame)
    {
        int i = frames.IndexOf(frame);
        return i > 0 ? frames[i - 1] : null;
    }

    public int OwnedBy(Tape tape)
    {
        lock (frames) return frames.Where(f => f.Tape == tape).Sum(f => f.Owned.Count + f.LeafGrads.Count);
    }

    public void Push(Tape tape)
    {
        lock (frames)
        {
            if (frames.Count > 0 && thread != Environment.CurrentManagedThreadId)
                throw new InvalidOperationException($"{tape.Device}: a step is already running on another thread (one thread's steps at a time per device)");
            thread = Environment.CurrentManagedThreadId;
            frames.Add(new StepFrame(tape));
        }
    }

    public void Pop(Tape tape)
    {
        StepFrame frame;
        lock (frames)
        {
            if (Current is not { } top || top.Tape != tape)
                throw new InvalidOperationException("steps must end innermost first, on the thread that began them");
            frame = top;
            frames.RemoveAt(frames.Count - 1);
        }
        frame.Free();
    }
}

sealed class Restore(Action restore) : IDisposable
{
    bool done;

    public void Dispose()
    {
        if (done) return;
        done = true;
        restore();
    }
}
