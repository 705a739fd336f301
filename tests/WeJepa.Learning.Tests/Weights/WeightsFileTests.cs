using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning.Models;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;
using WeJepa.Learning.Weights;
using WeJepa.TestSupport;

namespace WeJepa.Learning.Tests.Weights;

/// <summary>Weights round trips and the rejection of bad files (each error names the file and the tensor).</summary>
public class WeightsFileTests(DeviceSpec spec) : DeviceTest(spec)
{
    string folder = "";

    [SetUp]
    public void MakeFolder() => Directory.CreateDirectory(folder = Path.Combine(Path.GetTempPath(), "wejepa-weights-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    static readonly ParameterSpec[] Specs =
    [
        ParameterSpec.Of("net.0.weight", [4, 2], Initializer.LinearWeight),
        ParameterSpec.Of("net.0.bias", [4], Initializer.LinearBias(2)),
    ];

    string Write(string name, params (string Name, int[] Shape)[] tensors)
    {
        var path = Path.Combine(folder, name);
        WeightsFile.Write(path, tensors.Select(t => (t.Name, t.Shape, new float[t.Shape.Aggregate(1, (a, b) => a * b)])));
        return path;
    }

    UserError LoadFails(string path, WeightsLoadOptions? options = null)
    {
        using var p = ParameterStore.Create(Device, Specs, 1);
        var before = p.ToArray();
        var error = Assert.Throws<UserError>(() => WeightsFile.Load(path, p, options: options))!;
        Assert.That(error.Message, Does.StartWith(path), "the message names the file");
        Assert.That(p.ToArray(), Is.EqualTo(before), "nothing is loaded from a rejected file");
        return error;
    }

    [Test]
    public void SaveThenLoadRoundTripsInStateDictOrder()
    {
        using var a = ParameterStore.Create(Device, Specs, 1);
        using var b = ParameterStore.Create(Device, Specs, 2);
        var path = Path.Combine(folder, "w.safetensors");
        WeightsFile.Save(path, a);
        Assert.That(Safetensors.Read(path).Tensors.Keys, Is.EqualTo(new[] { "net.0.weight", "net.0.bias" }));
        WeightsFile.Load(path, b);
        Assert.That(b.ToArray(), Is.EqualTo(a.ToArray()));
        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void HnnWeightsCarryJAndAWrongJIsRejected()
    {
        using var hnn = new Hnn(Device, hidden: 8);
        var path = Path.Combine(folder, "hnn.safetensors");
        WeightsFile.Save(path, hnn.Parameters, [Hnn.J]);
        Assert.That(Safetensors.Read(path).Tensors.Keys, Does.Contain("J"));
        WeightsFile.Load(path, hnn.Parameters, [Hnn.J]);

        var tensors = Safetensors.Read(path).Tensors.ToDictionary();
        tensors["J"] = SafetensorsTensor.FromFloat32([1f, 0f, 0f, 1f], 2, 2);
        var bad = Path.Combine(folder, "bad-j.safetensors");
        Safetensors.Write(bad, tensors);
        var error = Assert.Throws<UserError>(() => WeightsFile.Load(bad, hnn.Parameters, [Hnn.J]))!;
        Assert.That(error.Message, Does.Contain("buffer 'J'"));
    }

    [Test]
    public void MissingTensorIsNamed()
    {
        var path = Write("missing.safetensors", ("net.0.weight", [4, 2]));
        Assert.That(LoadFails(path).Message, Does.Contain("missing tensor(s) 'net.0.bias'"));
        using var p = ParameterStore.Create(Device, Specs, 1);
        var bias = p.Get("net.0.bias");
        WeightsFile.Load(path, p, options: new WeightsLoadOptions(AllowMissing: true));
        Assert.That(p.Get("net.0.bias"), Is.EqualTo(bias), "an allowed missing tensor keeps its value");
        Assert.That(p.Get("net.0.weight"), Is.All.EqualTo(0f));
    }

    [Test]
    public void UnexpectedTensorIsNamed()
    {
        var path = Write("extra.safetensors", ("net.0.weight", [4, 2]), ("net.0.bias", [4]), ("net.9.weight", [1]));
        Assert.That(LoadFails(path).Message, Does.Contain("unexpected tensor(s) 'net.9.weight'"));
        using var p = ParameterStore.Create(Device, Specs, 1);
        WeightsFile.Load(path, p, options: new WeightsLoadOptions(AllowUnexpected: true));
        Assert.That(p.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void WrongShapeIsNamedWithBothShapes()
    {
        var path = Write("shape.safetensors", ("net.0.weight", [2, 4]), ("net.0.bias", [4]));
        Assert.That(LoadFails(path).Message, Does.Contain("tensor 'net.0.weight' has shape (2, 4), expected (4, 2)"));
    }

    [Test]
    public void WrongDtypeIsRejected()
    {
        var path = Path.Combine(folder, "f64.safetensors");
        Safetensors.Write(path, [
            KeyValuePair.Create("net.0.weight", SafetensorsTensor.FromFloat64(new double[8], 4, 2)),
            KeyValuePair.Create("net.0.bias", SafetensorsTensor.FromFloat32(new float[4], 4)),
        ]);
        Assert.That(LoadFails(path).Message, Does.Contain("tensor 'net.0.weight' has dtype F64, expected F32"));
    }

    [Test]
    public void TruncatedFileIsRejected()
    {
        var path = Write("ok.safetensors", ("net.0.weight", [4, 2]), ("net.0.bias", [4]));
        var bytes = File.ReadAllBytes(path);
        var truncated = Path.Combine(folder, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..^5]);
        Assert.That(LoadFails(truncated).Message, Does.Contain("invalid safetensors file"));
        File.WriteAllBytes(truncated, bytes[..6]);
        Assert.That(LoadFails(truncated).Message, Does.Contain("truncated"));
    }

    [Test]
    public void MissingFileIsAUserError()
    {
        LoadFails(Path.Combine(folder, "nope.safetensors"));
    }

    [Test]
    public void PyTorchFixtureWeightsLoadIntoEachModel()
    {
        using var hnn = new Hnn(Device);
        using var lnn = new Lnn(Device);
        using var mlp = new Mlp(Device);
        WeightsFile.Load(Path.Combine(Fixtures.Folder, "models-hnn-weights.safetensors"), hnn.Parameters, [Hnn.J]);
        WeightsFile.Load(Path.Combine(Fixtures.Folder, "models-lnn-weights.safetensors"), lnn.Parameters);
        WeightsFile.Load(Path.Combine(Fixtures.Folder, "models-mlp-weights.safetensors"), mlp.Parameters);
        Assert.That(hnn.Parameters.Get("net.2.weight")[..4], Is.EqualTo(Fixtures.Values("models-hnn-weights.safetensors", "net.2.weight")[..4].Select(v => (float)v)));
        // An HNN file is not an LNN file: the last layer's shape differs and J is unexpected.
        var error = Assert.Throws<UserError>(() => WeightsFile.Load(Path.Combine(Fixtures.Folder, "models-hnn-weights.safetensors"), lnn.Parameters))!;
        Assert.That(error.Message, Does.Contain("'J'"));
    }
}

/// <summary>Our weights files load into the seed's PyTorch module with <c>load_state_dict(strict=True)</c> (device-independent: CPU only).</summary>
public class WeightsInteropTests
{
    [Test]
    public void PyTorchLoadsOurHnnWeightsStrictly()
    {
        using var hnn = new Hnn(TestDevices.Cpu, seed: 5);
        var folder = Directory.CreateTempSubdirectory("wejepa-interop").FullName;
        var path = Path.Combine(folder, "hnn.safetensors");
        WeightsFile.Save(path, hnn.Parameters, [Hnn.J]);
        // The seed's module, loaded with strict=True, then F(x) at one point.
        const string script = """
            import sys, torch, torch.nn as nn
            sys.path.insert(0, sys.argv[2]); import st
            class HNN(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.net = nn.Sequential(nn.Linear(2, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 2))
                    self.register_buffer("J", torch.tensor([[0.0, 1.0], [-1.0, 0.0]]))
            m = HNN()
            m.load_state_dict({k: torch.from_numpy(v) for k, v in st.load(sys.argv[1]).items()}, strict=True)
            print(" ".join(repr(float(v)) for v in m.net(torch.tensor([[0.3, -0.7]])).flatten()))
            """;
        var torch = Python.Run(script, path, Fixtures.Folder).Split(' ').Select(double.Parse).ToArray();
        var ours = hnn.Net.Forward(hnn.Parameters, Tensor.FromArray(TestDevices.Cpu, [0.3f, -0.7f], 1, 2));
        Directory.Delete(folder, recursive: true);
        Check.Close(ours, torch, 1e-6, 1e-5, "F(q, p) in PyTorch from our weights");
    }
}
