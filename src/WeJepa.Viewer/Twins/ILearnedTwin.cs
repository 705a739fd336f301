namespace WeJepa.Viewer.Twins;

/// <summary>
/// A batch of learned pendulums that advances by dt from given states: what the window shows beside
/// the true ones. States are (K, S) float32 in the simulator's layout ([q; v], e.g. θ, ω).
/// </summary>
public interface ILearnedTwin
{
    /// <summary>Shown in the HUD and printed on events, e.g. "exact" or "hnn (runs/hnn.safetensors)".</summary>
    string Name { get; }

    /// <summary>Advances every state in place by <paramref name="steps"/> steps of <paramref name="dt"/> from time <paramref name="time"/>.</summary>
    void Advance(Span<float> states, double time, double dt, int steps);
}
