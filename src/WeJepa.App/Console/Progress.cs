using Spectre.Console;

namespace WeJepa.App.Terminal;

/// <summary>
/// Runs long work under a Spectre.Console progress bar on stderr (stdout stays clean for data). Without
/// an interactive terminal (tests, pipes) the work runs without drawing.
/// </summary>
public static class Progress
{
    /// <summary>
    /// Runs <paramref name="work"/>, which reports how many of <paramref name="total"/> units are done; with
    /// <paramref name="status"/>, the bar's text is refreshed from it on every report (a trainer's loss, lr, speed).
    /// </summary>
    public static T Run<T>(string description, long total, Func<IProgress<long>, T> work, Func<string>? status = null)
    {
        var stderr = Consoles.Error;
        if (!stderr.Profile.Capabilities.Interactive) return work(new SyncProgress(_ => { }));
        T result = default!;
        stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: total);
                result = work(new SyncProgress(done =>
                {
                    task.Value = Math.Max(task.Value, done); // reports may arrive out of order
                    if (status is not null) task.Description = $"{description} {Markup.Escape(status())}";
                }));
                task.Value = total;
            });
        return result;
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; would post to a sync context).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
