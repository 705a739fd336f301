using System.Globalization;
using WeJepa.Core.Errors;
using WeJepa.Training.Jepa;
using WeJepa.Training.Probes;

namespace WeJepa.Training.Study;

/// <summary>One pretrained encoder of the study: its row label, <c>model.kind</c>, and its share of the pretraining budget.</summary>
public sealed record StudyModel(string Name, string Kind, double Share);

/// <summary>
/// What <c>wejepa study jepa</c> runs: the three JEPAs (I-JEPA, the video JEPA, the seed's V-JEPA as the baseline row), the
/// pretraining budget they split, the encoder size, and the held-out probe dataset. The encoder is smaller than the
/// <c>pendulum64</c> preset (D 96, depth 4 instead of D 384, depth 6: about 1/24 of its encoder FLOPs per token) because
/// the preset's step takes 10–15 s on two shared cores, so a third of 20 minutes would be ~30 steps; at D 96 each
/// JEPA gets a few hundred. Frames (64×64, patch 8: an 8×8 grid) are the scene's camera, as in the preset.
/// </summary>
public sealed record StudyPlan(double Minutes, bool Quick, ulong Seed, IReadOnlyList<StudyModel> Models,
    int ProbeEpisodes, int ProbeSteps, ulong ProbeSeedOffset, int ProbeSamples, int ProbeEpochs, int BareRepeats)
{
    public const double DefaultMinutes = 20, QuickMinutes = 0.15;
    /// <summary>The fewest steps a run takes whatever the budget says (the schedules need some room).</summary>
    public int MinSteps => Quick ? 3 : 20;

    /// <summary>
    /// The probes' poolings: the mean over tokens (the seed's probe) and every token kept (where the bob is and, for
    /// clips, when: the features the closed loop's state head reads).
    /// </summary>
    public static readonly ProbePooling[] Poolings = ProbePoolings.All;

    /// <summary>
    /// Steps between logged steps. A logged step also runs both encoders for the collapse diagnostics: measured here on
    /// the V-JEPA run (0.19 s steps), logging every 10 steps cost 12% of its throughput (218 vs 249 images/s).
    /// </summary>
    public const int LogEvery = 25;

    public static StudyPlan Create(double? minutes, bool quick, ulong seed)
    {
        double m = minutes ?? (quick ? QuickMinutes : DefaultMinutes);
        if (!double.IsFinite(m) || m <= 0 || m > 24 * 60) throw new UserError($"--minutes {m.ToString(CultureInfo.InvariantCulture)}: must be in (0, 1440]");
        // equal thirds and the preset's EMA [0.996, 1.0]: a run with the video JEPA's share raised to 40% and the teacher's
        // momentum from 0.99 probed worse on angle for both EMA models (README, The study)
        StudyModel[] models = [new("I-JEPA", "ijepa", 1.0 / 3), new("video JEPA", "video-jepa", 1.0 / 3), new("V-JEPA (seed)", "vjepa", 1.0 / 3)];
        return quick
            ? new StudyPlan(m, true, seed, models, ProbeEpisodes: 8, ProbeSteps: 24, ProbeSeedOffset: 1000, ProbeSamples: 48, ProbeEpochs: 2, BareRepeats: 2)
            : new StudyPlan(m, false, seed, models, ProbeEpisodes: 64, ProbeSteps: 120, ProbeSeedOffset: 1000, ProbeSamples: 1200, ProbeEpochs: 20, BareRepeats: 5);
    }

    /// <summary>
    /// The run's config: the <c>pendulum64</c> preset with the study's size, live frames of <paramref name="scene"/> (image JEPAs
    /// skip <c>frames</c> physics steps between batches, so every kind moves through the episodes at the same pace and
    /// clips are consecutive frames, like the probe's), <paramref name="steps"/> steps with a tenth of them warmup, one
    /// checkpoint (with validation) at the end.
    /// </summary>
    public JepaConfig Config(StudyModel model, string scene, long steps, string outDir)
    {
        bool video = model.Kind == "video-jepa";
        int frames = Quick ? 2 : 4;
        var (dim, depth, heads, predictorDim, predictorDepth) = Quick ? (32, 1, 2, 16, 1) : (96, 4, 4, 48, 2);
        int batch = Quick ? (video ? 4 : 8) : (video ? 32 : 64);   // video: a clip of 4 frames is 2 tubelets per patch, 2× the tokens
        var set = new List<string>
        {
            $"model.kind={model.Kind}", $"model.embed_dim={dim}", $"model.depth={depth}", $"model.heads={heads}",
            $"model.predictor_dim={predictorDim}", $"model.predictor_depth={predictorDepth}", $"model.predictor_heads={heads}",
            $"model.frames={frames}", "model.tubelet_size=2", $"model.loss={(model.Kind == "vjepa" ? "mse" : "smooth_l1")}",
            "data.source=live", $"data.scene={scene}", $"data.batch_size={batch}", $"data.live_stride={(video ? 1 : frames)}",
            $"data.validation_batches={(Quick ? 1 : 2)}",
            $"optimizer.steps={steps}", $"optimizer.warmup_steps={Math.Max(1, steps / 10)}",
            $"hardware.seed={Seed}", $"hardware.log_every={(Quick ? 1 : LogEvery)}", $"hardware.checkpoint_every={steps}", "hardware.keep_checkpoints=0",
            $"hardware.output_dir={outDir}", "hardware.device=auto",
        };
        return JepaConfig.Resolve(JepaPresets.Default, set);
    }
}
