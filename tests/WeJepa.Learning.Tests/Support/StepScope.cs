using WeJepa.Learning.Devices;

namespace WeJepa.Learning.Tests.Support;

/// <summary>A step of a new <see cref="Learning.Tape"/> as a <c>using</c> block, for tests and harnesses that time or check parts of a step.</summary>
sealed class StepScope : IDisposable
{
    public Tape Tape { get; }

    public StepScope(Device device)
    {
        Tape = new Tape(device);
        Tape.Begin();
    }

    public void Dispose()
    {
        if (Tape.IsActive) Tape.End();
    }
}
