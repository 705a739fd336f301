using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning.Tests.DevicesTests;

/// <summary>
/// Proves, without a GPU, that every kernel compiles to PTX for an H100 (SM_90). Kernels are discovered
/// by their <see cref="KernelAttribute"/> in every loaded WeJepa assembly, so new ones are covered by
/// adding the attribute.
/// </summary>
public class PtxCompileTests
{
    static Context context = null!;
    static PTXBackend backend = null!;

    /// <summary>Every [Kernel] method of the WeJepa assemblies (the engine's and any that reference it).</summary>
    public static IEnumerable<TestCaseData> Kernels()
    {
        var assemblies = new List<Assembly> { typeof(KernelAttribute).Assembly };
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "WeJepa.*.dll"))
        {
            var name = AssemblyName.GetAssemblyName(file);
            if (assemblies.All(a => a.GetName().Name != name.Name)) assemblies.Add(Assembly.Load(name));
        }
        return from assembly in assemblies
               from type in SafeTypes(assembly)
               from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
               where method.GetCustomAttribute<KernelAttribute>() is not null
               orderby type.FullName, method.Name
               select new TestCaseData(method).SetArgDisplayNames($"{type.Name}.{method.Name}");
    }

    static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    [OneTimeSetUp]
    public static void CreateBackend()
    {
        context = Context.Create(b => b.Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O1));
        backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_85, null);
    }

    [OneTimeTearDown]
    public static void DisposeBackend()
    {
        backend.Dispose();
        context.Dispose();
    }

    [Test]
    public void DiscoversTheEngineKernels()
        => Assert.That(Kernels().Count(), Is.GreaterThanOrEqualTo(15), "kernel discovery found too few [Kernel] methods");

    [TestCaseSource(nameof(Kernels))]
    public void CompilesToPtxForSm90(MethodInfo kernel)
    {
        var entry = EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
        // ILGPU 1.5.3 writes ".target sm_80" even for an SM_90 backend; sm_80 PTX is JIT-compiled by the driver on sm_90
        Assert.That(compiled.PTXAssembly, Does.Contain(".target sm_").And.Contain(".entry"));
    }
}
