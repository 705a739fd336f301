using WeJepa.Core.IO;
using WeJepa.Learning.Weights;
using WeJepa.TestSupport;
using WeJepa.Training.Dynamics;

namespace WeJepa.Training.Tests.Rollouts;

/// <summary>One file of tests/fixtures/make_rollout_fixtures.py: the weights, the initial states, dt and PyTorch's float64 rollouts.</summary>
public sealed class RolloutFixture(string name)
{
    public string Path { get; } = Repository.File("tests", "fixtures", $"rollout-{name}.safetensors");

    SafetensorsFile File => Safetensors.Read(Path);

    public float[] Values(string tensor) => File.Get(Path, tensor).ToFloat32();

    public int[] Shape(string tensor) => File.Get(Path, tensor).ShapeAsInt();

    /// <summary>A model of <paramref name="kind"/> (hidden 32, as the script) holding the fixture's weights.</summary>
    public DynamicsModel Model(DynamicsModelKind kind, int degrees)
    {
        var model = DynamicsModel.Create(CpuDevice.Instance, kind, degrees, hidden: 32, seed: 0);
        WeightsFile.Load(Path, model.Parameters, model.Buffers, new WeightsLoadOptions(AllowUnexpected: true));
        return model;
    }
}
