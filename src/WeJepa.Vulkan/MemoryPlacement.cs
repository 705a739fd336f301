using static Silk.NET.Vulkan.MemoryPropertyFlags;

namespace WeJepa.Vulkan;

/// <summary>Where a <see cref="DeviceBuffer"/> lives.</summary>
public enum MemoryPlacement
{
    /// <summary>
    /// The device's fast memory. Mapped into the process when that memory is host visible (lavapipe,
    /// integrated GPUs, full resizable BAR): then host transfers are memcpy and the pointer can be shared
    /// without a copy. Otherwise (NVIDIA without full BAR) device-local memory with staged transfers.
    /// </summary>
    Auto,
    /// <summary>Device-local and never mapped: host transfers always go through a staging buffer.</summary>
    DeviceLocal,
    /// <summary>Host-visible, coherent, mapped (cached when available): staging and host-heavy buffers.</summary>
    HostVisible,
}

/// <summary>A memory type as the driver reports it.</summary>
internal readonly record struct MemoryTypeInfo(Vk.MemoryPropertyFlags PropertyFlags, int HeapIndex);
/// <summary>A memory heap as the driver reports it.</summary>
internal readonly record struct MemoryHeapInfo(ulong Size, Vk.MemoryHeapFlags Flags);

/// <summary>Chooses a memory type for a placement (pure, so it is tested with other vendors' layouts).</summary>
internal static class MemoryTypeChoice
{
    /// <param name="allowedTypes">VkMemoryRequirements.memoryTypeBits of the buffer.</param>
    /// <param name="mapped">Whether the buffer should be mapped (host transfers are memcpy).</param>
    /// <returns>The memory type index, or -1 when no type fits.</returns>
    public static int Choose(IReadOnlyList<MemoryTypeInfo> types, IReadOnlyList<MemoryHeapInfo> heaps, uint allowedTypes,
        MemoryPlacement placement, out bool mapped)
    {
        const Vk.MemoryPropertyFlags mappable = HostVisibleBit | HostCoherentBit;
        int First(Func<Vk.MemoryPropertyFlags, int, bool> accept)
        {
            for (var i = 0; i < types.Count; i++)
                if ((allowedTypes & (1u << i)) != 0 && accept(types[i].PropertyFlags, types[i].HeapIndex)) return i;
            return -1;
        }
        static bool Has(Vk.MemoryPropertyFlags flags, Vk.MemoryPropertyFlags bits) => (flags & bits) == bits;

        switch (placement)
        {
            case MemoryPlacement.HostVisible:
            {
                mapped = true;
                var cached = First((f, _) => Has(f, mappable | HostCachedBit));
                return cached >= 0 ? cached : First((f, _) => Has(f, mappable));
            }
            case MemoryPlacement.DeviceLocal:
            {
                mapped = false;
                var pure = First((f, _) => Has(f, DeviceLocalBit) && !Has(f, HostVisibleBit));
                if (pure >= 0) return pure;
                var local = First((f, _) => Has(f, DeviceLocalBit));
                return local >= 0 ? local : First((_, _) => true);
            }
            default:
            {
                // Map device-local memory only when it is the device's main heap: a small BAR window
                // (256 MiB on NVIDIA without resizable BAR) must not be filled by big buffers.
                var mainHeap = -1;
                for (var h = 0; h < heaps.Count; h++)
                    if (heaps[h].Flags.HasFlag(Vk.MemoryHeapFlags.DeviceLocalBit) && (mainHeap < 0 || heaps[h].Size > heaps[mainHeap].Size))
                        mainHeap = h;
                var shared = First((f, heap) => heap == mainHeap && Has(f, DeviceLocalBit | mappable));
                if (shared >= 0) { mapped = true; return shared; }
                var local = First((f, _) => Has(f, DeviceLocalBit));
                if (local >= 0) { mapped = false; return local; }
                mapped = true;
                return First((f, _) => Has(f, mappable));
            }
        }
    }
}
