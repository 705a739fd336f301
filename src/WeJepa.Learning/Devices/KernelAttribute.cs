namespace WeJepa.Learning.Devices;

/// <summary>
/// Marks a static method as an explicitly grouped ILGPU kernel. The PTX test compiles every method
/// carrying it (in every WeJepa assembly) for CUDA SM_90, so a new kernel is covered by adding it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class KernelAttribute : Attribute;
