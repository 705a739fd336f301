namespace WeJepa.Core.Scenes;

/// <summary>
/// A validated scene: settings plus named objects with components. The loader guarantees exactly
/// one physical system and at most one of every other component, so the accessors below are total:
/// components that are absent read as their defaults.
/// </summary>
public sealed record Scene(string Source, SceneSettings Settings, IReadOnlyList<SceneObject> Objects)
{
    /// <summary>The object carrying the physical system (and its initial state).</summary>
    public SceneObject SystemObject => Objects.Single(o => o.Get<PhysicalSystemComponent>() is not null);

    /// <summary>The scene's one physical system (<see cref="PendulumComponent"/> or <see cref="DoublePendulumComponent"/>).</summary>
    public PhysicalSystemComponent System => SystemObject.Get<PhysicalSystemComponent>()!;

    /// <summary>State size S of <see cref="System"/>.</summary>
    public int StateSize => System.StateSize;

    public InitialStateComponent InitialState => SystemObject.Get<InitialStateComponent>() ?? InitialStateComponent.Zero;
    public CameraComponent Camera => Find<CameraComponent>() ?? new CameraComponent();
    public AppearanceComponent Appearance => Find<AppearanceComponent>() ?? new AppearanceComponent();
    public RandomizationComponent Randomization => Find<RandomizationComponent>() ?? new RandomizationComponent();
    public SensorNoiseComponent SensorNoise => Find<SensorNoiseComponent>() ?? new SensorNoiseComponent();

    /// <summary>The one component of type <typeparamref name="T"/> anywhere in the scene, or null.</summary>
    public T? Find<T>() where T : Component => Objects.Select(o => o.Get<T>()).FirstOrDefault(c => c is not null);

    /// <summary>A copy with other settings (e.g. the CLI's --envs/--steps/--seed overrides).</summary>
    public Scene With(int? envs = null, int? steps = null, ulong? seed = null) => this with
    {
        Settings = Settings with
        {
            Envs = envs ?? Settings.Envs,
            Steps = steps ?? Settings.Steps,
            Seed = seed ?? Settings.Seed,
        },
    };
}
