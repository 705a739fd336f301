using System.Runtime.CompilerServices;

// The Vulkan interop is internal: only the runtime (and its tests) may call it.
[assembly: InternalsVisibleTo("WeJepa.Vulkan")]
[assembly: InternalsVisibleTo("WeJepa.Vulkan.Tests")]
