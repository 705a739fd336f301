using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Jepa;

public class SinCosTablesTests
{
    // the fixture's tables come from ijepa's numpy code (and its 3-D extension), stored as float32
    [TestCase("jepa-vitconv-weights.safetensors", "pos_embed", 64)]
    [TestCase("jepa-ijepa-weights.safetensors", "encoder.pos_embed", 64)]
    [TestCase("jepa-ijepa-weights.safetensors", "predictor.predictor_pos_embed", 32)]
    public void TwoDMatchesIjepa(string file, string name, int dim)
        => Check.Close(SinCosTables.TwoD(dim, 4, 4), Fixtures.Values(file, name), 1e-7, 0, name);

    [TestCase("encoder.pos_embed", 64)]
    [TestCase("predictor.predictor_pos_embed", 32)]
    public void ThreeDMatchesTheVideoFixture(string name, int dim)
        => Check.Close(SinCosTables.ThreeD(dim, 2, 4, 4), Fixtures.Values("jepa-videojepa-weights.safetensors", name), 1e-7, 0, name);

    [Test]
    public void ColumnChannelsComeFirst()
    {
        var t = SinCosTables.TwoD(8, 2, 3);   // token 1 = row 0, column 1: sin(1) in channel 0; its row half is sin(0) = 0
        Assert.That(t[8 + 0], Is.EqualTo((float)Math.Sin(1)));
        Assert.That(t[8 + 4], Is.EqualTo(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => SinCosTables.TwoD(6, 2, 2));
    }
}
