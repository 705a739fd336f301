using System.Numerics;
using ILGPU;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Optim;

/// <summary>
/// The EMA teacher update of I-JEPA / BYOL, one loop over two flat parameter buffers with the same layout
/// (the teacher a <see cref="ParameterStore.Mirror"/> of the student):
/// teacher ← m·teacher + (1 − m)·student (m from a <see cref="LinearSchedule"/>, e.g. 0.996 → 1).
/// </summary>
public static class Ema
{
    public static void Update(ParameterStore teacher, ParameterStore student, double momentum)
    {
        if (!teacher.Layout.SameShapeAs(student.Layout))
            throw new ArgumentException($"EMA: teacher and student parameter layouts differ ({teacher}, {student}; make the teacher with ParameterStore.Mirror)");
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "EMA momentum must be in [0, 1]");
        var device = teacher.Device;
        var (t, s) = (teacher.Values.View, student.Values.View);
        int n = checked((int)t.Length);
        float m = (float)momentum;
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            HostLoops.For(n, (start, count) => EmaHost(m, device.HostSpan(t).Slice(start, count), device.HostSpan(s).Slice(start, count)));
        }
        else device.Launch(EmaKernel, n, n, m, t, s);
        teacher.Values.MarkModified();
    }

    /// <summary>teacher[i] = m·teacher[i] + (1−m)·student[i]. teacher, student are (n).</summary>
    [Kernel]
    public static void EmaKernel(int n, float m, ArrayView<float> teacher, ArrayView<float> student)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) teacher[i] = m * teacher[i] + (1f - m) * student[i];
    }

    static void EmaHost(float m, Span<float> teacher, ReadOnlySpan<float> student)
    {
        int width = Vector<float>.Count, i = 0;
        var (vm, vr) = (new Vector<float>(m), new Vector<float>(1f - m));
        for (; i + width <= teacher.Length; i += width)
            (vm * new Vector<float>(teacher[i..]) + vr * new Vector<float>(student[i..])).CopyTo(teacher[i..]);
        for (; i < teacher.Length; i++) teacher[i] = m * teacher[i] + (1f - m) * student[i];
    }
}
