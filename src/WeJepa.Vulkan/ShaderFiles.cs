using WeJepa.Core.Errors;

namespace WeJepa.Vulkan;

/// <summary>
/// SPIR-V files compiled from <c>shaders/*.comp</c> by the build (<c>shaders/Shaders.targets</c>) and
/// shipped in a <c>shaders/</c> folder beside the binaries.
/// </summary>
public static class ShaderFiles
{
    private const uint SpirvMagic = 0x07230203;

    /// <summary>The folder searched: <c>&lt;folder of the binaries&gt;/shaders</c>.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "shaders");

    public static string PathOf(string name) => Path.Combine(Directory, name + ".spv");

    /// <summary>Reads <c>shaders/&lt;name&gt;.spv</c> as SPIR-V words.</summary>
    /// <exception cref="UserError">The file is missing (exit code 3) or is not SPIR-V.</exception>
    public static uint[] Load(string name) => LoadFile(PathOf(name));

    public static uint[] LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new UserError(
                $"shader file {path} is missing: the build compiles shaders/*.comp with glslc (`apt-get install glslc`) and copies them beside the binaries; rebuild",
                ExitCodes.MissingDependency);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 20 || bytes.Length % 4 != 0 || BitConverter.ToUInt32(bytes, 0) != SpirvMagic)
            throw new UserError($"shader file {path} is not SPIR-V (wrong magic number or size {bytes.Length}): rebuild", ExitCodes.MissingDependency);
        var words = new uint[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, words, 0, bytes.Length);
        return words;
    }
}
