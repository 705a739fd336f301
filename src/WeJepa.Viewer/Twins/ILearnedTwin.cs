namespace WeJepa.Viewer.Twins;

/// <summary>
/// A batch of learned pendulums that advances by dt from given states: what the window shows beside
/// the true ones. States are (K, S) float32 in the simulator's layout ([q; v], e.g. θ, ω).
/// </summary>
public interface ILearnedTwin
{
    /// <summary>Shown in the HUD, printed on events and in screenshots' logs, e.g. "exact (reference, rk4, double)" or "HNN hnn-pendulum".</summary>
    string Name { get; }

    /// <summary>The short label on the twin's tiles and energy row: "exact", "HNN", "LNN", …</summary>
    string Label { get; }

    /// <summary>Advances every state in place by <paramref name="steps"/> steps of <paramref name="dt"/> from time <paramref name="time"/>.</summary>
    void Advance(Span<float> states, double time, double dt, int steps);
}
