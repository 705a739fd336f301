using ILGPU;
using ILGPU.Runtime;

namespace WeJepa.Learning.Devices;

// Launch overloads for explicitly grouped grid-stride kernels: the first call per kernel compiles and
// caches it on this accelerator; every launch is sized by GridFor(work). Generated shape, one per arity.
public sealed partial class Device
{
    public void Launch<T1>(Action<T1> kernel, long work, T1 a1) where T1 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1);
        AfterLaunch();
    }

    public void Launch<T1, T2>(Action<T1, T2> kernel, long work, T1 a1, T2 a2) where T1 : struct where T2 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3>(Action<T1, T2, T3> kernel, long work, T1 a1, T2 a2, T3 a3) where T1 : struct where T2 : struct where T3 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel, long work, T1 a1, T2 a2, T3 a3, T4 a4) where T1 : struct where T2 : struct where T3 : struct where T4 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3, a4);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel, long work, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3, a4, a5);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel, long work, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3, a4, a5, a6);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> kernel, long work, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3, a4, a5, a6, a7);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> kernel, long work, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3, a4, a5, a6, a7, a8);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, long work, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3, a4, a5, a6, a7, a8, a9);
        AfterLaunch();
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel, long work, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct
    {
        if (work <= 0) return;
        Load(kernel, () => Accelerator.LoadStreamKernel(kernel))(GridFor(work), a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
        AfterLaunch();
    }
}
