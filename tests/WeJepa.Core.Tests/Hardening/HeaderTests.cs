using System.Buffers.Binary;
using System.Text;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;

namespace WeJepa.Core.Tests.Hardening;

/// <summary>Safetensors and NPY headers that once threw internal exceptions (exit 1): each is a clear refusal.</summary>
public class HeaderTests
{
    private static byte[] Safetensor(byte[] header, int dataBytes)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static string Rejection(string header, int dataBytes = 8) => Rejection(Encoding.UTF8.GetBytes(header), dataBytes);

    private static string Rejection(byte[] header, int dataBytes = 8)
    {
        var e = Assert.Throws<UserError>(() => Safetensors.Parse(Safetensor(header, dataBytes), "w.safetensors"))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.StartWith("w.safetensors: invalid safetensors file: "));
        return e.Message;
    }

    [Test]
    public void InvalidUtf8InTheHeaderIsRefused()
    {
        var header = Encoding.UTF8.GetBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""");
        header[2] = 0xFF; // inside the tensor name: JsonDocument accepted it and GetString threw InvalidOperationException
        Assert.That(Rejection(header), Does.EndWith("the header is not UTF-8 text"));
    }

    [TestCase("""{"a":{"dtype":"F32","shape":[2],"data_offsets":["0","8"]}}""", "data_offsets must be two integers")]
    [TestCase("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0.5,8]}}""", "data_offsets must be two integers")]
    [TestCase("""{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", "missing shape")]
    [TestCase("""{"a":{"dtype":"F32","shape":[[2]],"data_offsets":[0,8]}}""", "shape entries must be non-negative integers")]
    [TestCase("""{"a":{"dtype":5,"shape":[2],"data_offsets":[0,8]}}""", "missing dtype")]
    [TestCase("""{"a":[1,2]}""", "entry is not an object")]
    public void WronglyTypedFieldsAreRefused(string header, string message) => Assert.That(Rejection(header), Does.Contain(message));

    [Test]
    public void AShapeWhoseByteCountOverflows64BitsIsRefused()
    {
        // 2147483647³ × 4 bytes wraps around 2^63: the byte count must be checked before it is compared.
        Assert.That(Rejection("""{"a":{"dtype":"F32","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}"""),
            Does.Contain("needs more than 2^63 bytes"));
        Assert.That(Rejection("""{"a":{"dtype":"F32","shape":[1099511627776,0],"data_offsets":[0,0]}}""", 0), Does.Contain("exceeds 2147483647"));
    }

    [Test]
    public void BytesThatBelongToNoTensorAreRefused()
    {
        Assert.That(Rejection("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8), Does.EndWith("the data section has 4 bytes after the last tensor"));
        Assert.That(Rejection("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), Does.Contain("bytes 0..4 of the data section belong to no tensor"));
    }

    [TestCase("(99999999999, 2)", "not an integer")]
    [TestCase("(2147483647, 2147483647)", "too large")]
    public void NpyShapesThatOverflowAreRefused(string shape, string message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.npy");
        var header = Npy.Header("<f4", [1]);
        var text = Encoding.ASCII.GetString(header, 10, header.Length - 10).Replace("(1,)", shape);
        File.WriteAllBytes(path, [.. header.AsSpan(0, 10), .. Encoding.ASCII.GetBytes(text.PadRight(header.Length - 10 - 1)[..(header.Length - 11)] + "\n")]);
        try
        {
            var e = Assert.Throws<UserError>(() => Npy.Read(path))!;
            Assert.That(e.Message, Does.StartWith($"{path}: not a readable NPY file: ").And.Contain(message));
        }
        finally { File.Delete(path); }
    }
}
