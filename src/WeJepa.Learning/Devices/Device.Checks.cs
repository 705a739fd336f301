using ILGPU;
using ILGPU.Runtime;

namespace WeJepa.Learning.Devices;

// Device-side validation (int32 indices): a kernel that meets a bad value writes no memory for it and records the
// first one in a small flag buffer; the host reads the flags only at a sync point (Synchronize, a host read of a
// tensor), so validation costs no host copy of the indices and no extra synchronisation per op.
public sealed partial class Device
{
    MemoryBuffer1D<int, Stride1D.Dense>? checkFlags;
    bool checksPending;

    /// <summary>
    /// The flag buffer a validating kernel reports into: [0] the reporting op's code (0 = nothing bad), [1] the flat
    /// position of the first bad value, [2] the value, [3] its valid bound, [4] the row length of the index tensor.
    /// Taking it marks a check as pending for the next sync point.
    /// </summary>
    internal ArrayView<int> CheckFlags
    {
        get
        {
            if (checkFlags is null)
            {
                checkFlags = Accelerator.Allocate1D<int>(5);
                checkFlags.MemSetToZero(Stream);
            }
            checksPending = true;
            return checkFlags.View;
        }
    }

    /// <summary>Called after every synchronisation: throws the first bad value a kernel recorded since the last check.</summary>
    void ThrowRecordedCheck()
    {
        if (!checksPending || checkFlags is null) return;
        checksPending = false;
        var flags = checkFlags.GetAsArray1D(Stream);
        if (flags[0] == 0) return;
        checkFlags.MemSetToZero(Stream);
        Stream.Synchronize();
        throw RowIndexError.Describe(flags[0], flags[1], flags[2], flags[3], flags[4]);
    }
}
