using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.TestSupport;

namespace WeJepa.Viewer.Tests;

/// <summary>The LearnedDynamics component: a scene names the twin its viewer shows, validated like every component.</summary>
public class LearnedDynamicsSceneTests
{
    private static string Yaml(string component) =>
        File.ReadAllText(Repository.File("scenes", "pendulum.yaml")).Replace("      InitialState:", $"      LearnedDynamics: {component}\n      InitialState:");

    [Test]
    public void A_scene_names_its_twin()
    {
        var scene = SceneLoader.Parse(Yaml("{ model: exact }"), "twin.yaml");
        Assert.That(scene.Find<LearnedDynamicsComponent>()?.Model, Is.EqualTo(LearnedModel.Exact));
        Assert.That(SceneLoader.Parse(Yaml("{ model: exact }").Replace("LearnedDynamics: { model: exact }", ""), "none.yaml")
            .Find<LearnedDynamicsComponent>(), Is.Null);
    }

    [TestCase("{ model: exakt }", "LearnedDynamics.model: unknown value 'exakt'")]
    [TestCase("{ model: exact, checkpoint: a.safetensors }", "unknown key 'checkpoint'")]
    [TestCase("{ model: [exact] }", "LearnedDynamics.model")]
    public void Bad_values_name_file_line_and_key(string component, string message)
    {
        var e = Assert.Throws<UserError>(() => SceneLoader.Parse(Yaml(component), "twin.yaml"))!;
        Assert.That(e.Message, Does.StartWith("twin.yaml:").And.Contain(message));
    }
}
