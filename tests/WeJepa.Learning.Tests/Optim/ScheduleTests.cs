using WeJepa.Learning.Optim;

namespace WeJepa.Learning.Tests.Optim;

public class ScheduleTests
{
    [Test]
    public void CosineWarmupRisesLinearlyThenFallsAsHalfCosine()
    {
        var s = new CosineWarmupSchedule(Peak: 1e-3, Final: 1e-5, WarmupSteps: 10, TotalSteps: 110, Start: 1e-4).Validated();
        Assert.That(s.At(0), Is.EqualTo(1e-4).Within(1e-15));
        Assert.That(s.At(5), Is.EqualTo(1e-4 + 0.5 * (1e-3 - 1e-4)).Within(1e-15));
        Assert.That(s.At(10), Is.EqualTo(1e-3).Within(1e-15));
        Assert.That(s.At(60), Is.EqualTo(1e-5 + (1e-3 - 1e-5) * 0.5).Within(1e-15)); // halfway: cos(π/2) = 0
        Assert.That(s.At(35), Is.EqualTo(1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + Math.Cos(Math.PI / 4))).Within(1e-15));
        Assert.That(s.At(110), Is.EqualTo(1e-5));
        Assert.That(s.At(500), Is.EqualTo(1e-5));
        for (long t = 10; t < 110; t++) Assert.That(s.At(t + 1), Is.LessThanOrEqualTo(s.At(t)));
    }

    [Test]
    public void CosineWithoutWarmupCanRiseForWeightDecay()
    {
        var wd = new CosineWarmupSchedule(Peak: 0.04, Final: 0.4, WarmupSteps: 0, TotalSteps: 100);
        Assert.That(wd.At(0), Is.EqualTo(0.04).Within(1e-15));
        Assert.That(wd.At(50), Is.EqualTo(0.22).Within(1e-12));
        Assert.That(wd.At(100), Is.EqualTo(0.4));
    }

    [Test]
    public void InvalidCosineSettingsNameTheField()
    {
        Assert.That(() => new CosineWarmupSchedule(1, 0, 20, 10).Validated(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("WarmupSteps"));
        Assert.That(() => new CosineWarmupSchedule(1, 0, 0, 0).Validated(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("TotalSteps"));
    }

    [Test]
    public void LinearMomentumScheduleInterpolatesAndHolds()
    {
        var m = new LinearSchedule(0.996, 1.0, 1000);
        Assert.That(m.At(0), Is.EqualTo(0.996));
        Assert.That(m.At(250), Is.EqualTo(0.997).Within(1e-15));
        Assert.That(m.At(1000), Is.EqualTo(1.0));
        Assert.That(m.At(5000), Is.EqualTo(1.0));
        Assert.That(new ConstantSchedule(0.5).At(123), Is.EqualTo(0.5));
    }
}
