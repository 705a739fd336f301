using System.Runtime.CompilerServices;

// Tests reach the interop handles and the pure selection helpers.
[assembly: InternalsVisibleTo("WeJepa.Vulkan.Tests")]
