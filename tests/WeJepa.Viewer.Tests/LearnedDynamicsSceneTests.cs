using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.TestSupport;

namespace WeJepa.Viewer.Tests;

/// <summary>The LearnedDynamics component: a scene names the twin its viewer shows, validated like every component.</summary>
public class LearnedDynamicsSceneTests : TempFolderTest
{
    private static string Yaml(string component) =>
        File.ReadAllText(Repository.File("scenes", "pendulum.yaml")).Replace("      InitialState:", $"      LearnedDynamics: {component}\n      InitialState:");

    /// <summary>A scene file in its own folder beside a copy of the tiny run folders hnn/ and mlp/.</summary>
    private string SceneFile(string component)
    {
        foreach (var model in new[] { "hnn", "mlp" })
        {
            Directory.CreateDirectory(Path.Combine(Dir, "runs", model));
            foreach (var f in Directory.GetFiles(TinyCheckpoints.Folder(model)))
                File.Copy(f, Path.Combine(Dir, "runs", model, Path.GetFileName(f)));
        }
        var path = Path.Combine(Dir, "twin.yaml");
        File.WriteAllText(path, Yaml(component));
        return path;
    }

    [Test]
    public void A_scene_names_its_twin()
    {
        var scene = SceneLoader.Parse(Yaml("{ model: exact }"), "twin.yaml");
        Assert.That(scene.Find<LearnedDynamicsComponent>()?.Model, Is.EqualTo(LearnedModel.Exact));
        Assert.That(scene.Find<LearnedDynamicsComponent>()?.Checkpoint, Is.Null);
        Assert.That(SceneLoader.Parse(Yaml("{ model: exact }").Replace("LearnedDynamics: { model: exact }", ""), "none.yaml")
            .Find<LearnedDynamicsComponent>(), Is.Null);
    }

    [TestCase("{ checkpoint: runs/hnn, model: hnn }", "hnn", LearnedModel.Hnn)]
    [TestCase("{ checkpoint: runs/mlp/model.safetensors }", "mlp", LearnedModel.Mlp)]
    [TestCase("{ checkpoint: runs/hnn/checkpoint.safetensors, model: hnn }", "hnn", LearnedModel.Hnn)]
    public void A_checkpoint_is_resolved_next_to_the_scene_file_and_its_kind_read_from_its_metadata(string component, string run, LearnedModel kind)
    {
        var path = SceneFile(component);
        var elsewhere = Directory.CreateTempSubdirectory("wejepa-cwd").FullName;
        var cwd = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = elsewhere;   // relative to the scene file, not to the working folder
            var twin = SceneLoader.Load(path).Find<LearnedDynamicsComponent>()!;
            Assert.That(twin.Model, Is.EqualTo(kind));
            Assert.That(twin.Checkpoint, Does.StartWith(Path.Combine(Dir, "runs", run) + Path.DirectorySeparatorChar));
            Assert.That(File.Exists(twin.Checkpoint));
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
            Directory.Delete(elsewhere);
        }
    }

    [TestCase("{ model: exakt }", "LearnedDynamics.model: unknown value 'exakt'")]
    [TestCase("{ model: exact, checkpont: a.safetensors }", "unknown key 'checkpont'; did you mean 'checkpoint'?")]
    [TestCase("{ model: [exact] }", "LearnedDynamics.model")]
    [TestCase("{ model: hnn }", "LearnedDynamics.model: 'hnn' needs a checkpoint")]
    [TestCase("{ checkpoint: runs/none.safetensors, model: hnn }", "LearnedDynamics.checkpoint: 'runs/none.safetensors': no such file '")]
    [TestCase("{ checkpoint: runs, model: hnn }", "LearnedDynamics.checkpoint: 'runs': the run folder '")]
    [TestCase("{ checkpoint: runs/hnn/config.yaml }", "LearnedDynamics.checkpoint: 'runs/hnn/config.yaml': ")]
    [TestCase("{ checkpoint: runs/mlp, model: hnn }", "LearnedDynamics.model: 'hnn', but checkpoint 'runs/mlp' holds a mlp")]
    [TestCase("{ checkpoint: runs/hnn, model: exact }", "LearnedDynamics.model: 'exact' takes no checkpoint")]
    public void Bad_values_name_file_line_object_key_and_value(string component, string message)
    {
        var path = SceneFile(component);
        var e = Assert.Throws<UserError>(() => SceneLoader.Load(path))!;
        Assert.That(e.Message, Does.StartWith(path + ":").And.Contain("objects[0].components.").And.Contain(message));
    }
}
