using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.Core.Tests.IO;

public class NpyTests : TempFolderTest
{
    [TestCase(new[] { 5 })]
    [TestCase(new[] { 2, 3, 4 })]
    [TestCase(new[] { 7, 1 })]
    public void HeaderIsPaddedTo64Bytes(int[] shape)
    {
        var header = Npy.Header("<f4", shape);
        Assert.That(header.Length % 64, Is.Zero);
        Assert.That(header[^1], Is.EqualTo((byte)'\n'));
        Assert.That(BitConverter.ToUInt16(header, 8), Is.EqualTo(header.Length - 10));
    }

    [Test]
    public void RoundTripsEveryDtype()
    {
        float[] f = [1.5f, -2f, float.MaxValue, 0f, 3.25f, -0f];
        double[] d = [Math.PI, -1e-300, 7];
        byte[] b = [0, 1, 255, 128];
        Npy.Write(Path.Combine(Dir, "f.npy"), f, 2, 3);
        Npy.Write(Path.Combine(Dir, "d.npy"), d, 3);
        Npy.Write(Path.Combine(Dir, "b.npy"), b, 2, 1, 2);
        var rf = Npy.Read(Path.Combine(Dir, "f.npy"));
        Assert.That((rf.Dtype, rf.Shape, rf.AsFloat32()), Is.EqualTo(("<f4", new[] { 2, 3 }, f)));
        var rd = Npy.Read(Path.Combine(Dir, "d.npy"));
        Assert.That((rd.Dtype, rd.Shape, rd.AsFloat64()), Is.EqualTo(("<f8", new[] { 3 }, d)));
        var rb = Npy.Read(Path.Combine(Dir, "b.npy"));
        Assert.That((rb.Dtype, rb.Shape, rb.AsUInt8()), Is.EqualTo(("|u1", new[] { 2, 1, 2 }, b)));
    }

    [Test]
    public void NumpyLoadsWhatWeWrite()
    {
        var values = Enumerable.Range(0, 24).Select(i => i * 0.5f - 3f).ToArray();
        Npy.Write(Path.Combine(Dir, "f.npy"), values, 2, 3, 4);
        Npy.Write(Path.Combine(Dir, "d.npy"), values.Select(v => (double)v / 3).ToArray(), 4, 6);
        Npy.Write(Path.Combine(Dir, "b.npy"), values.Select(v => (byte)(v + 3)).ToArray(), 24);
        var output = Python.Run("""
            import sys, numpy as np
            for name in ("f", "d", "b"):
                a = np.load(f"{sys.argv[1]}/{name}.npy")
                print(name, a.dtype, a.shape, repr(float(a.astype(np.float64).sum())), a.flags["C_CONTIGUOUS"], a.ravel()[5])
            """, Dir);
        Assert.That(output.Split('\n'), Is.EqualTo(new[]
        {
            "f float32 (2, 3, 4) 66.0 True -0.5",
            "d float64 (4, 6) 22.0 True -0.16666666666666666",
            "b uint8 (24,) 132.0 True 2",
        }));
    }

    [Test]
    public void ReadsWhatNumpyWrites()
    {
        Python.Run("""
            import sys, numpy as np
            np.save(f"{sys.argv[1]}/f.npy", np.arange(12, dtype=np.float32).reshape(3, 4) / 4)
            np.save(f"{sys.argv[1]}/d.npy", np.linspace(0, 1, 5))
            np.save(f"{sys.argv[1]}/b.npy", np.arange(6, dtype=np.uint8).reshape(1, 2, 3))
            """, Dir);
        Assert.That(Npy.Read(Path.Combine(Dir, "f.npy")).AsFloat32(), Is.EqualTo(Enumerable.Range(0, 12).Select(i => i / 4f)));
        Assert.That(Npy.Read(Path.Combine(Dir, "f.npy")).Shape, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(Npy.Read(Path.Combine(Dir, "d.npy")).AsFloat64(), Is.EqualTo(new[] { 0, 0.25, 0.5, 0.75, 1.0 }));
        Assert.That(Npy.Read(Path.Combine(Dir, "b.npy")).Shape, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void RejectsBrokenFilesNamingThem()
    {
        var path = Path.Combine(Dir, "bad.npy");
        File.WriteAllText(path, "not an npy file");
        Assert.That(Assert.Throws<UserError>(() => Npy.Read(path))!.Message, Does.StartWith($"{path}: not a readable NPY file"));
        var good = Path.Combine(Dir, "good.npy");
        Npy.Write(good, new float[6], 2, 3);
        File.WriteAllBytes(path, File.ReadAllBytes(good)[..^4]);
        Assert.That(Assert.Throws<UserError>(() => Npy.Read(path))!.Message, Does.Contain("needs 24 data bytes, found 20"));
    }

    [Test]
    public void ShapeMustMatchTheData()
    {
        Assert.Throws<ArgumentException>(() => Npy.Write(Path.Combine(Dir, "x.npy"), new float[5], 2, 3));
        Assert.That(Directory.GetFiles(Dir), Is.Empty);
    }
}
