using WeJepa.Learning.Models;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;
using O = WeJepa.Learning.Ops;

namespace WeJepa.Learning.Tests.AutogradTests;

/// <summary>The ownership rules of the design note on <see cref="Tape"/>, one test per rule.</summary>
public class OwnershipTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void ParameterGradientsLiveInTheStoreAndOutlastTheStep()
    {
        using var store = ParameterStore.Create(Device, [ParameterSpec.Of("w", [2, 2], Initializer.Ones)], seed: 1);
        var tape = new Tape(Device);
        tape.Step(() => Autograd.Backward(O.Sum(O.Mul(store["w"], 3f))));
        Check.Close(store.GetGrad("w"), [3, 3, 3, 3], 0, 0, "the store's gradient after the step");
        Assert.That(store["w"].Grad, Is.Not.Null);
        store.ZeroGrad();
        Check.Close(store.GetGrad("w"), [0, 0, 0, 0], 0, 0, "ZeroGrad on the store");
    }

    [Test]
    public void ALeafOutsideAStoreHasItsGradientForTheStepOnly()
    {
        var x = Leaf([1, 2], 2);
        var tape = new Tape(Device);
        tape.Step(() =>
        {
            Autograd.Backward(O.Sum(O.Square(x)));
            Check.Close(x.Grad!, [2, 4], 1e-6, 0, "dx inside the step");
            Assert.That(tape.LiveTensors, Is.GreaterThan(0));
        });
        Assert.That(x.Grad, Is.Null, "the step's gradient is gone with the step, not left dangling");
        Assert.That(tape.LiveTensors, Is.Zero);
    }

    [Test]
    public void AStepFreesItsTensorsWhenTheBodyThrows()
    {
        Tensor made = null!;
        var tape = new Tape(Device);
        Assert.Throws<InvalidOperationException>(() => tape.Step(() =>
        {
            made = O.Tanh(T([1], 1));
            throw new InvalidOperationException("boom");
        }));
        Assert.Throws<ObjectDisposedException>(() => _ = made.View);
        Assert.That(tape.IsActive, Is.False);
    }

    [Test]
    public void KeepingAViewKeepsTheMemoryItViews()
    {
        var tape = new Tape(Device);
        var kept = tape.Step(() => tape.Keep(O.Reshape(O.Tanh(T([0, 1], 2)), 1, 2)));
        Check.Close(kept, [0, Math.Tanh(1)], 1e-6, 0, "a kept reshape of a step's tensor");
    }

    [Test]
    public void ReturningAStepsOwnTensorWithoutKeepIsAnError()
    {
        var tape = new Tape(Device);
        var e = Assert.Throws<InvalidOperationException>(() => tape.Step(() => O.Tanh(T([1], 1))));
        Assert.That(e!.Message, Does.Contain("Keep"));
    }

    [Test]
    public void NothingRecordsOutsideAStep()
    {
        Tape.End(); // leave the fixture's step
        var x = Tensor.FromArray(Device, [1f], 1);
        x.RequiresGrad = true;
        using var y = O.Tanh(x);
        Assert.That(y.GradFn, Is.Null);
        using var sum = O.Sum(x);
        var e = Assert.Throws<InvalidOperationException>(() => Autograd.Backward(sum));
        Assert.That(e!.Message, Does.Contain("tape.Step"));
        x.Dispose();
    }

    [Test]
    public void InferenceThatNeedsInputGradientsRunsOutsideAStepAndLeavesOnlyItsResult()
    {
        Tape.End(); // a rollout outside any step
        using var qv = Tensor.FromArray(Device, [0.3f, 0.0f, -1.0f, 0.5f], 2, 2);
        // the pendulum L = v²/2 + cos q: q̈ = −sin q
        static Tensor L(Tensor x) => O.Add(O.Mul(O.Square(O.Slice(x, 1, 1, 1)), 0.5f), O.Cos(O.Slice(x, 1, 0, 1)));
        long before = Device.LiveBuffers;
        using (var a = Mechanics.LagrangianAcceleration(L, qv))
        {
            Check.Close(a, [-Math.Sin(0.3), -Math.Sin(-1.0)], 1e-5, 1e-5, "q̈ of the analytic pendulum");
            Assert.That(Device.LiveBuffers, Is.EqualTo(before + 1), "the result is the one buffer left to the caller");
        }
        Assert.That(Device.LiveBuffers, Is.EqualTo(before));
    }

    [Test]
    public void AStepOfAnotherThreadIsRefusedAndItsAllocationsAreNotCaptured()
    {
        Tensor? fromOtherThread = null;
        Exception? refused = null;
        var thread = new Thread(() =>
        {
            fromOtherThread = Tensor.Empty(Device, 1);
            try { new Tape(Device).Step(() => { }); }
            catch (InvalidOperationException e) { refused = e; }
        });
        thread.Start();
        thread.Join();
        Assert.That(refused?.Message, Does.Contain("another thread"));
        Assert.That(Tape.LiveTensors, Is.Zero, "the other thread's tensor belongs to that thread's caller");
        fromOtherThread!.Dispose();
    }

    [Test]
    public void OnlyFloat32TensorsTakeGradients()
    {
        var indices = Tensor.FromArray(Device, [0, 1], 2);
        var e = Assert.Throws<InvalidOperationException>(() => indices.RequiresGrad = true);
        Assert.That(e!.Message, Does.Contain("int32").And.Contain("float32"));
        Assert.Throws<InvalidOperationException>(() => _ = indices.View);
    }
}

/// <summary>Stream-ordered reuse in the buffer pool (bookkeeping: the CPU accelerator runs one stream at a time).</summary>
public class BufferPoolStreamTests
{
    [Test]
    public void ABufferMovesToAnotherStreamOnlyAfterItsStreamDrains()
    {
        var device = TestDevices.Cpu;
        using var other = device.Accelerator.CreateStream();
        const long bytes = 123_457; // a length no other test uses
        var first = device.Rent(bytes, device.Stream);
        device.Return(first, device.Stream);
        long waits = device.CrossStreamWaits;

        var again = device.Rent(bytes, device.Stream);
        Assert.That(again, Is.SameAs(first), "same stream: reused at once");
        Assert.That(device.CrossStreamWaits, Is.EqualTo(waits));
        device.Return(again, device.Stream);

        var moved = device.Rent(bytes, other);
        Assert.That(moved, Is.SameAs(first), "another stream gets it too, after a wait");
        Assert.That(device.CrossStreamWaits, Is.EqualTo(waits + 1));
        device.Return(moved, other);
        var back = device.Rent(bytes, other);
        Assert.That(device.CrossStreamWaits, Is.EqualTo(waits + 1), "now tagged with the other stream: no wait there");
        device.Return(back, other);
    }
}

/// <summary>A long training loop holds its memory flat: no pooled byte and no live tensor more after 10⁴ steps than after 100.</summary>
public class LongLoopMemoryTests
{
    [Test]
    public void TenThousandStepsOfATinyMlpHoldMemoryFlat()
    {
        var device = TestDevices.Cpu;
        using var mlp = new Mlp(device, hidden: 8, seed: 3);
        using var adamW = new AdamW(mlp.Parameters);
        using var x = Tensor.FromArray(device, [0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, 0.8f], 4, 2);
        using var dxdt = Tensor.FromArray(device, [0.4f, -0.1f, 0.2f, 0.3f, -0.6f, 0.5f, 0.2f, -0.7f], 4, 2);
        var tape = new Tape(device);
        float Step() => tape.Step(() =>
        {
            mlp.Parameters.ZeroGrad();
            var loss = mlp.Loss(x, dxdt);
            Autograd.Backward(loss);
            GradClip.ClipGlobalNorm(mlp.Parameters, 1.0);
            adamW.Step(1e-2, 0.01);
            return loss.Item();
        });
        float first = Step();
        for (int i = 0; i < 99; i++) Step();
        var (bytes, buffers) = (device.PooledBytes, device.LiveBuffers);
        float last = 0;
        for (int i = 0; i < 10_000; i++) last = Step();
        Assert.That(device.PooledBytes, Is.EqualTo(bytes), "pooled bytes grew");
        Assert.That(device.LiveBuffers, Is.EqualTo(buffers), "live tensors grew");
        Assert.That(tape.LiveTensors, Is.Zero);
        Assert.That(last, Is.LessThan(first), "the loop trains (so every step really ran)");
    }
}
