using System.Buffers.Binary;
using System.Text;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.Core.Tests.IO;

public class SafetensorsTests
{
    string folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(folder = Path.Combine(Path.GetTempPath(), "st-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    static byte[] FileImage(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    static string Rejection(byte[] image) => Assert.Throws<UserError>(() => Safetensors.Parse(image, "bad.safetensors"))!.Message;

    [Test]
    public void RoundTripKeepsNamesOrderDtypesShapesValuesAndMetadata()
    {
        var path = Path.Combine(folder, "a.safetensors");
        var tensors = new Dictionary<string, SafetensorsTensor>
        {
            ["net.0.weight"] = SafetensorsTensor.FromFloat32([1.5f, -2, 3, float.MaxValue, 0, -0.25f], 2, 3),
            ["scalar"] = SafetensorsTensor.FromFloat32([7f]),
            ["f64"] = SafetensorsTensor.FromFloat64([Math.PI, -1e300], 2),
            ["index"] = SafetensorsTensor.FromInt64([5, -1, long.MaxValue], 3),
            ["empty"] = SafetensorsTensor.FromFloat32([], 0, 4),
        };
        Safetensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var file = Safetensors.Read(path);
        Assert.That(file.Tensors.Keys, Is.EqualTo(tensors.Keys));
        Assert.That(file.Metadata["format"], Is.EqualTo("pt"));
        Assert.That(file.Tensors["net.0.weight"].Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(file.Tensors["net.0.weight"].ToFloat32(), Is.EqualTo(new[] { 1.5f, -2, 3, float.MaxValue, 0, -0.25f }));
        Assert.That(file.Tensors["scalar"].Shape, Is.Empty);
        Assert.That(file.Tensors["f64"].ToFloat64(), Is.EqualTo(new[] { Math.PI, -1e300 }));
        Assert.That(file.Tensors["index"].ToInt64(), Is.EqualTo(new[] { 5L, -1, long.MaxValue }));
        Assert.That(file.Tensors["empty"].Shape, Is.EqualTo(new long[] { 0, 4 }));
        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file left behind");
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path)) % 8, Is.Zero, "data section 8-byte aligned");
    }

    [Test]
    public void WritingIntoAMissingFolderIsAUserErrorNamingIt()
    {
        var missing = Path.Combine(folder, "no-such-folder");
        var e = Assert.Throws<UserError>(() =>
            Safetensors.Write(Path.Combine(missing, "a.safetensors"), [new("w", SafetensorsTensor.FromFloat32([1f]))]))!;
        Assert.That(e.Message, Does.Contain(missing).And.Contain("does not exist"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(Directory.Exists(missing), Is.False, "the folder is not created");
    }

    [Test]
    public void PythonFixtureWriterAndReaderAgree()
    {
        var fixtures = Repository.File("tests", "fixtures");
        var ours = Path.Combine(folder, "ours.safetensors");
        var theirs = Path.Combine(folder, "theirs.safetensors");
        Safetensors.Write(ours, [new("w", SafetensorsTensor.FromFloat32([1, 2, 3, 4, 5, 6], 3, 2))]);
        var script = $"import sys; sys.path.insert(0, '{fixtures}'); import st, numpy as np; " +
                     $"d = st.load('{ours}'); assert d['w'].shape == (3, 2) and d['w'][2, 1] == 6, d; " +
                     $"st.save('{theirs}', {{'a': np.arange(4, dtype=np.float64).reshape(2, 2), 'b': np.float32(2.5)}})";
        Python.Run(script);
        var file = Safetensors.Read(theirs);
        Assert.That(file.Tensors["a"].ToFloat64(), Is.EqualTo(new double[] { 0, 1, 2, 3 }));
        Assert.That(file.Tensors["b"].Shape, Is.Empty);
        Assert.That(file.Tensors["b"].ToFloat32(), Is.EqualTo(new[] { 2.5f }));
    }

    [Test]
    public void TruncatedFilesAreRejected()
    {
        Assert.That(Rejection([1, 2, 3]), Does.Contain("bad.safetensors").And.Contain("truncated"));
        var image = FileImage("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[8]);
        Assert.That(Rejection(image[..20]), Does.Contain("truncated"));
        Assert.That(Rejection(image[..^4]), Does.Contain("'x'").And.Contain("data_offsets"));
    }

    [Test]
    public void OversizedHeaderIsRejected()
    {
        var image = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(image, 1UL << 40);
        Assert.That(Rejection(image), Does.Contain("exceeds"));
    }

    [Test]
    public void MalformedJsonIsRejected()
    {
        Assert.That(Rejection(FileImage("""{"x": {"dtype": "F32", """, [])), Does.Contain("not valid JSON"));
        Assert.That(Rejection(FileImage("[1, 2]", [])), Does.Contain("not an object"));
        Assert.That(Rejection(FileImage("""{"x":{"shape":[1],"data_offsets":[0,4]}}""", new byte[4])), Does.Contain("'x'").And.Contain("dtype"));
        Assert.That(Rejection(FileImage("""{"x":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}""", new byte[2])), Does.Contain("BF16"));
        Assert.That(Rejection(FileImage("""{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", new byte[4])), Does.Contain("non-negative"));
    }

    [Test]
    public void BadOffsetsAreRejected()
    {
        Assert.That(Rejection(FileImage("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", new byte[4])), Does.Contain("'x'").And.Contain("outside"));
        Assert.That(Rejection(FileImage("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}""", new byte[8])),
            Does.Contain("overlap"));
    }

    [Test]
    public void DtypeShapeMismatchIsRejected()
        => Assert.That(Rejection(FileImage("""{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}""", new byte[8])),
            Does.Contain("'w'").And.Contain("needs 16 bytes"));

    [Test]
    public void MissingTensorNamesFileAndTensor()
    {
        var path = Path.Combine(folder, "m.safetensors");
        Safetensors.Write(path, [new("a", SafetensorsTensor.FromFloat32([1], 1))]);
        var e = Assert.Throws<UserError>(() => Safetensors.Read(path).Get(path, "b"));
        Assert.That(e!.Message, Does.Contain("m.safetensors").And.Contain("'b'"));
    }
}
