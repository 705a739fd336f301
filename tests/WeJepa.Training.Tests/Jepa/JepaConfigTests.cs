using WeJepa.Core.Errors;
using WeJepa.TestSupport;
using WeJepa.Training.Jepa;

namespace WeJepa.Training.Tests.Jepa;

/// <summary>Presets, the YAML/JSON round trip of --print-config, --set overrides and rejections naming file, line, key and value.</summary>
public class JepaConfigTests : TempFolderTest
{
    static IEnumerable<string> AllPresets => JepaPresets.Names.Concat(["pendulum64+conv", "cifar32+conv"]);

    string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [TestCaseSource(nameof(AllPresets))]
    public void EveryPresetIsValidAndItsPrintedConfigLoadsBackIdenticallyAsYamlAndJson(string preset)
    {
        var config = JepaConfig.Resolve(preset, ["optimizer.lr=0.000123", "data.source=dataset", "data.path=some folder/with \"quotes\""]);
        var yaml = config.ToYaml();
        var fromYaml = JepaConfig.FromFile(Write("c.yaml", yaml));
        var fromJson = JepaConfig.FromFile(Write("c.json", config.ToJson()));
        Assert.That(fromYaml.ToYaml(), Is.EqualTo(yaml));
        Assert.That(fromJson.ToYaml(), Is.EqualTo(yaml));
        Assert.That(fromJson.ToJson(), Is.EqualTo(config.ToJson()));
        Assert.That(fromYaml.Optimizer.Lr, Is.EqualTo(0.000123));
        Assert.That(fromYaml.Data.Path, Is.EqualTo("some folder/with \"quotes\""));
        Assert.That(fromYaml.Mask.PredMaskScale, Is.EqualTo(config.Mask.PredMaskScale));
    }

    [Test]
    public void PresetsHaveTheirShapes()
    {
        Assert.That(JepaConfig.Resolve(null, []).Model.ImageSize, Is.EqualTo(64), "the default is pendulum64");
        var p = JepaPresets.Get("pendulum64").Model;
        Assert.That((p.EmbedDim, p.Depth, p.Heads, p.PatchSize), Is.EqualTo((384, 6, 6, 8)));
        var c = JepaPresets.Get("cifar32").Model;
        Assert.That((c.ImageSize, c.PatchSize), Is.EqualTo((32, 4)));
        var v = JepaPresets.Get("vit-b16-224").Model;
        Assert.That((v.ImageSize, v.PatchSize, v.EmbedDim, v.Depth, v.Heads), Is.EqualTo((224, 16, 768, 12, 12)));
        var conv = JepaPresets.Get("pendulum64+conv").Model;
        Assert.That((conv.Tokenizer, conv.ConvChannels), Is.EqualTo(("conv", new[] { 48, 96, 192 })), "3 stride-2 stages give patch 8's grid");
    }

    [Test]
    public void AFileOverridesThePresetsAndSetOverridesTheFile()
    {
        var path = Write("c.yaml", "model:\n  kind: vjepa\n  loss: mse\noptimizer:\n  lr: 0.01\n");
        var config = JepaConfig.Resolve(path, ["optimizer.lr=0.02", "mask.pred_mask_scale=[0.1, 0.3]", "hardware.seed=7"]);
        Assert.That((config.Model.Kind, config.Optimizer.Lr, config.Hardware.Seed), Is.EqualTo(("vjepa", 0.02, 7UL)));
        Assert.That(config.Mask.PredMaskScale, Is.EqualTo(new[] { 0.1, 0.3 }));
        Assert.That(config.Model.ImageSize, Is.EqualTo(64), "keys the file leaves out keep their defaults");
    }

    static string Rejects(Action action) => Assert.Throws<UserError>(() => action())!.Message;

    [Test]
    public void UnknownKeysAndSectionsAreRejectedWithFileLineAndKey()
    {
        var path = Write("c.yaml", "model:\n  kind: ijepa\n  patch_szie: 4\n");
        Assert.That(Rejects(() => JepaConfig.Resolve(path, [])), Does.StartWith($"{path}:3:3: unknown key 'model.patch_szie'").And.Contain("patch_size"));
        var section = Write("s.yaml", "modle:\n  kind: ijepa\n");
        Assert.That(Rejects(() => JepaConfig.Resolve(section, [])), Does.StartWith($"{section}:1:1: unknown section 'modle'"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["model.nope=1"])), Does.StartWith("--set: unknown key 'model.nope'"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["lr=1"])), Does.Contain("expected section.key=value"));
        Assert.That(Rejects(() => JepaConfig.Resolve("nonesuch", [])), Does.Contain("neither a file nor a preset"));
    }

    [Test]
    public void WrongTypesAreRejectedWithTheValue()
    {
        var path = Write("c.json", "{\"optimizer\": {\"lr\": \"fast\"}}");
        Assert.That(Rejects(() => JepaConfig.Resolve(path, [])), Does.StartWith($"{path}:1:").And.Contain("optimizer.lr = \"fast\": expected a finite number"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["model.depth=2.5"])), Does.StartWith("--set: model.depth = \"2.5\": expected an integer"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["mask.pred_mask_scale=0.2"])), Does.Contain("mask.pred_mask_scale = \"0.2\": expected a list"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["hardware.seed=-1"])), Does.Contain("expected a non-negative integer"));
    }

    [Test]
    public void InconsistentValuesAreRejectedWhereTheyCameFrom()
    {
        var path = Write("c.yaml", "model:\n  image_size: 64\n  patch_size: 7\n");
        Assert.That(Rejects(() => JepaConfig.Resolve(path, [])), Is.EqualTo($"{path}:3:3: model.patch_size = 7: model.image_size 64 is not a multiple of it"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["mask.mask_ratio=1.0", "model.kind=vjepa", "model.loss=mse"])), Does.Contain("mask.mask_ratio = 1: must lie strictly between 0 and 1"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["model.heads=3"])), Does.Contain("model.heads = 3: model.embed_dim 32 is not a multiple of it"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["model.kind=video-jepa", "model.frames=3"])), Does.Contain("model.tubelet_size = 2: model.frames 3 is not a multiple of it"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["optimizer.accumulation_steps=3"])), Does.Contain("data.batch_size 8 is not a multiple of it"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["data.source=dataset"])), Does.Contain("data.path = \"\""));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["hardware.precision=bf16"])), Does.Contain("hardware.precision = \"bf16\""));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["mask.enc_mask_scale=[0.9, 0.5]"])), Does.Contain("mask.enc_mask_scale = [0.9, 0.5]: must satisfy 0 < min <= max <= 1"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["optimizer.warmup_steps=50"])), Does.Contain("optimizer.warmup_steps = 50"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["model.tokenizer=conv", "model.conv_channels=[8]"])), Does.Contain("model.conv_channels = [8]: needs log2(patch_size 4) = 2 stage widths"));
        Assert.That(Rejects(() => JepaConfig.Resolve("tiny", ["model.kind=vjepa"])), Does.Contain("model.loss = \"smooth_l1\": vjepa's loss is mse"));
    }
}
