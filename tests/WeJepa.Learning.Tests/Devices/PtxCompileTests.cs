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
        var types = assemblies.SelectMany(SafeTypes).ToList();
        return from type in types
               from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
               where method.GetCustomAttribute<KernelAttribute>() is not null
               from kernel in Instantiations(method, types)
               orderby type.FullName, kernel.Name, Arguments(kernel)
               select new TestCaseData(kernel).SetArgDisplayNames($"{type.Name}.{kernel.Name}{Arguments(kernel)}");
    }

    // a generic kernel (one elementwise kernel over function structs) once per struct that meets its constraints
    static IEnumerable<MethodInfo> Instantiations(MethodInfo method, List<Type> types)
    {
        if (!method.IsGenericMethodDefinition) return [method];
        var parameter = method.GetGenericArguments().Single();
        var constraints = parameter.GetGenericParameterConstraints();
        return types.Where(t => t.IsValueType && !t.IsGenericTypeDefinition && constraints.All(c => c.IsAssignableFrom(t)))
            .Select(t => method.MakeGenericMethod(t));
    }

    static string Arguments(MethodInfo kernel) => kernel.IsGenericMethod ? $"<{string.Join(", ", kernel.GetGenericArguments().Select(a => a.Name))}>" : "";

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
    {
        var kernels = Kernels().Select(k => (MethodInfo)k.Arguments[0]!).ToList();
        Assert.That(kernels.Count, Is.GreaterThanOrEqualTo(15), "kernel discovery found too few [Kernel] methods");
        Assert.That(kernels.Count(k => k.IsGenericMethod && k.Name == nameof(UnaryKernels.Map)), Is.GreaterThanOrEqualTo(7),
            "the elementwise kernel once per unary function struct");
    }

    [TestCaseSource(nameof(Kernels))]
    public void CompilesToPtxForSm90(MethodInfo kernel)
    {
        var entry = EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
        // ILGPU 1.5.3 writes ".target sm_80" even for an SM_90 backend; sm_80 PTX is JIT-compiled by the driver on sm_90
        Assert.That(compiled.PTXAssembly, Does.Contain(".target sm_").And.Contain(".entry"));
    }
}
