using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.TestSupport;
using WeJepa.Training.Jepa;
using WeJepa.Training.Runs;

namespace WeJepa.Training.Tests.Jepa;

/// <summary>
/// The JEPA trainer on the tiny preset and fake frames: every kind trains and writes its run folder; a run stopped at
/// step k and resumed repeats the uninterrupted one bit for bit; divergence exits 4 naming the op and keeping the last
/// good checkpoint; model.safetensors carries the PyTorch names and the metadata readers rebuild the network from.
/// </summary>
public class JepaTrainerTests : TempFolderTest
{
    static JepaConfig Tiny(params string[] sets) => JepaConfig.Resolve("tiny", ["optimizer.steps=6", "hardware.checkpoint_every=2", .. sets]);

    (JepaTrainer Trainer, string Out) Train(string run, JepaConfig config, bool resume = false, long? stopAt = null)
    {
        var output = Path.Combine(Dir, run);
        var trainer = new JepaTrainer(CpuDevice.Instance, config, output) { Warn = _ => { } };
        trainer.Run(resume, stopAt);
        return (trainer, output);
    }

    static float[] Weights(JepaTrainer t) => t.Model.StateDict().SelectMany(s => s.Values).ToArray();

    [TestCase("ijepa")]
    [TestCase("vjepa")]
    [TestCase("video-jepa")]
    public void EveryKindTrainsAndWritesItsRunFolder(string kind)
    {
        var (trainer, output) = Train("run", Tiny($"model.kind={kind}", kind == "vjepa" ? "model.loss=mse" : "model.loss=smooth_l1"));
        using (trainer)
        {
            Assert.That(trainer.Step, Is.EqualTo(6));
            Assert.That(trainer.Metrics.Select(m => m.Step), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(trainer.Metrics.All(m => double.IsFinite(m.Loss) && m.Loss > 0 && m.StdTeacher > 0 && m.RankTeacher > 1), Is.True);
            Assert.That(trainer.Metrics[^1].ValidationLoss, Is.Not.Null.And.GreaterThan(0));
        }
        foreach (var f in new[] { "checkpoint.safetensors", "checkpoint-00000004.safetensors", "checkpoint-00000006.safetensors", "model.safetensors", "config.yaml", "metrics.jsonl" }.Concat(JepaCharts.Files))
            Assert.That(File.Exists(Path.Combine(output, f)), f);
        Assert.That(File.Exists(Path.Combine(output, "checkpoint-00000002.safetensors")), Is.False, "keep_checkpoints 2 deletes the oldest");
        var line = JsonNode.Parse(File.ReadAllLines(Path.Combine(output, "metrics.jsonl"))[^1])!.AsObject();
        Assert.That(line.Select(p => p.Key), Is.SupersetOf(new[] { "step", "epoch", "loss", "val_loss", "lr", "wd", "momentum", "grad_norm", "step_time", "images_per_s",
            "feature_std_student", "feature_std_teacher", "effective_rank_student", "effective_rank_teacher" }));
        Assert.That(line["momentum"]!.GetValue<double>(), Is.EqualTo(0.996 + 0.004 * 5 / 6).Within(1e-12), "EMA momentum is linear 0.996 → 1 over the steps");
    }

    [TestCase("ijepa")]
    [TestCase("vjepa")]
    public void ResumingAtStepKGivesTheUninterruptedLossesAndWeightsBitForBit(string kind)
    {
        var config = Tiny($"model.kind={kind}", kind == "vjepa" ? "model.loss=mse" : "model.loss=smooth_l1", "optimizer.accumulation_steps=2",
            "data.brightness=0.2", "data.pixel_noise=0.05", "hardware.checkpoint_every=1");
        var (straight, _) = Train("straight", config);
        var (first, _) = Train("split", config, stopAt: 3);
        first.Dispose();
        var (resumed, output) = Train("split", config, resume: true);
        using (straight) using (resumed)
        {
            Assert.That(resumed.Metrics.Select(m => m.Step), Is.EqualTo(new long[] { 4, 5, 6 }));
            Assert.That(resumed.Metrics.Select(m => m.Loss), Is.EqualTo(straight.Metrics.Skip(3).Select(m => m.Loss)));
            Assert.That(resumed.Metrics.Select(m => m.GradNorm), Is.EqualTo(straight.Metrics.Skip(3).Select(m => m.GradNorm)));
            Assert.That(resumed.Metrics.Select(m => m.StdTeacher), Is.EqualTo(straight.Metrics.Skip(3).Select(m => m.StdTeacher)));
            Assert.That(resumed.Metrics.Select(m => m.ValidationLoss), Is.EqualTo(straight.Metrics.Skip(3).Select(m => m.ValidationLoss)));
            Assert.That(Weights(resumed), Is.EqualTo(Weights(straight)), "student, predictor and teacher");
        }
        var steps = File.ReadAllLines(Path.Combine(output, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!["step"]!.GetValue<long>());
        Assert.That(steps, Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }), "the log holds each step once");
    }

    [Test]
    public void AResumeWithAnotherConfigOrWithoutACheckpointIsRefused()
    {
        Assert.That(Assert.Throws<UserError>(() => Train("none", Tiny(), resume: true))!.Message, Does.Contain("nothing to resume"));
        Train("run", Tiny(), stopAt: 2).Trainer.Dispose();
        Assert.That(Assert.Throws<UserError>(() => Train("run", Tiny("optimizer.lr=0.5"), resume: true))!.Message, Does.Contain("another config"));
        Assert.That(Assert.Throws<UserError>(() => Train("run", Tiny()))!.Message, Does.Contain("--resume"));
    }

    [Test]
    public void ANonFiniteLossExitsWith4NamingTheOpAndKeepsTheLastGoodCheckpoint()
    {
        // lr 1e30: step 1 is finite but leaves weights near 1e30, so step 2's forward overflows
        var config = Tiny("optimizer.lr=1e30", "optimizer.start_lr=1e30", "optimizer.warmup_steps=0", "optimizer.clip_grad=0", "hardware.checkpoint_every=1");
        var output = Path.Combine(Dir, "run");
        using var trainer = new JepaTrainer(CpuDevice.Instance, config, output) { Warn = _ => { } };
        var e = Assert.Throws<UserError>(() => trainer.Run(false))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.Diverged));
        Assert.That(e.Message, Does.StartWith("training diverged at step 2").And.Match("'[A-Za-z0-9_]+'").And.Contain("last good checkpoint (step 1)"));
        var checkpoint = Safetensors.Read(Path.Combine(output, CheckpointFiles.Latest));
        Assert.That(checkpoint.Metadata["step"], Is.EqualTo("1"));
        Assert.That(checkpoint.Tensors.Values.All(t => t.DType != SafetensorsDType.F32 || Array.TrueForAll(t.ToFloat32(), float.IsFinite)), Is.True);
    }

    [Test]
    public void ATeacherWhoseFeaturesStopSpreadingIsWarnedAbout()
    {
        var warnings = new List<string>();
        using var trainer = new JepaTrainer(CpuDevice.Instance, Tiny("hardware.collapse_std=10"), Path.Combine(Dir, "run")) { Warn = warnings.Add };
        trainer.Run(false, stopAt: 2);
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[0], Does.StartWith("step 1: the teacher's feature std").And.Contain("collapsing"));
        using var quiet = new JepaTrainer(CpuDevice.Instance, Tiny(), Path.Combine(Dir, "quiet")) { Warn = warnings.Add };
        quiet.Run(false, stopAt: 2);
        Assert.That(warnings, Has.Count.EqualTo(2), "healthy features: no warning at the default threshold");
    }

    [TestCase("ijepa", "encoder.patch_embed.proj.weight", "predictor.mask_token", "target_encoder.blocks.0.attn.qkv.weight")]
    [TestCase("video-jepa", "encoder.patch_embed.proj.weight", "predictor.predictor_pos_embed", "target_encoder.pos_embed")]
    [TestCase("vjepa", "pos_embed", "predictor.2.bias", "target_encoder.layers.1.self_attn.in_proj_weight")]
    public void TheModelFileHasThePyTorchNamesAndTheMetadataToRebuildIt(string kind, params string[] names)
    {
        var (trainer, output) = Train("run", Tiny($"model.kind={kind}", kind == "vjepa" ? "model.loss=mse" : "model.loss=smooth_l1"), stopAt: 1);
        trainer.Dispose();
        var model = Safetensors.Read(Path.Combine(output, JepaTrainer.ModelFile));
        Assert.That(model.Tensors.Keys, Is.SupersetOf(names));
        Assert.That(model.Tensors.Keys.Any(k => k.StartsWith("optimizer.")), Is.False, "weights only");
        var m = model.Metadata;
        Assert.That((m["kind"], m["heads"], m["predictor_heads"], m["image_size"], m["patch_size"]), Is.EqualTo((kind, "2", "2", "16", "4")));
        Assert.That((m["frames"], m["tubelet_size"]), Is.EqualTo(kind == "video-jepa" ? ("2", "2") : ("1", "1")));
        var config = new JepaConfig("metadata");
        config.ApplyText(m["config"], "metadata");
        Assert.That(config.Model.Kind, Is.EqualTo(kind));
        var checkpoint = Safetensors.Read(Path.Combine(output, CheckpointFiles.Latest));
        Assert.That(checkpoint.Tensors.Keys.Where(k => k.StartsWith("optimizer.")), Is.Not.Empty);
        Assert.That(checkpoint.Metadata.Keys, Is.SupersetOf(new[] { "step", "batches_drawn", "optimizer_steps", "rng", "config" }));
    }
}
