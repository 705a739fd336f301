namespace WeJepa.Viewer.Tests;

public class FixedStepClockTests
{
    [Test]
    public void One_second_of_frames_is_one_second_of_steps_whatever_the_frame_rate()
    {
        foreach (var fps in new[] { 30, 60, 144, 7 })
        {
            var clock = new FixedStepClock(0.01);
            var steps = 0;
            for (var f = 0; f < fps; f++) steps += clock.Due(1.0 / fps);
            Assert.That(steps, Is.InRange(99, 100), $"{fps} fps");
        }
    }

    [Test]
    public void Speed_scales_the_steps_and_is_bounded()
    {
        var clock = new FixedStepClock(0.01);
        clock.Faster();
        Assert.That(clock.Due(0.5), Is.EqualTo(100));
        for (var i = 0; i < 20; i++) clock.Slower();
        Assert.That(clock.Speed, Is.EqualTo(FixedStepClock.MinSpeed));
        for (var i = 0; i < 20; i++) clock.Faster();
        Assert.That(clock.Speed, Is.EqualTo(FixedStepClock.MaxSpeed));
    }

    [Test]
    public void Over_budget_the_steps_are_capped_and_the_excess_dropped()
    {
        var clock = new FixedStepClock(0.01, budgetSeconds: 0.01);
        Assert.That(clock.Due(0.5), Is.EqualTo(50));
        clock.Measured(50, 0.05);   // 1 ms per step: 10 fit the budget
        Assert.That(clock.Due(0.5), Is.EqualTo(10));
        Assert.That(clock.Behind);
        Assert.That(clock.Due(0.05), Is.EqualTo(5), "nothing carried over from the dropped time");
        Assert.That(clock.Behind, Is.False);
    }

    [Test]
    public void Holding_discards_the_time_that_passed()
    {
        var clock = new FixedStepClock(0.01);
        clock.Due(0.005);
        clock.Hold();
        Assert.That(clock.Due(0.006), Is.Zero);
    }
}
