using WeJepa.Viewer.Composition;

namespace WeJepa.Viewer.Tests;

public class HudPartsTests
{
    [Test]
    public void Every_character_of_the_controls_and_numbers_has_a_glyph()
    {
        var text = string.Concat(Controls.All.Select(c => c.Key + c.What)) + "0123456789 .,:+-=%/()[]|_<>!?'*# model step fps drift gap learned true";
        var missing = text.Where(c => !BitmapFont.Has(c)).Distinct().ToList();
        Assert.That(missing, Is.Empty);
        foreach (var c in text.Where(c => c != ' ').Distinct())
            Assert.That(BitmapFont.Rows(c).Any(r => r != 0), $"glyph '{c}' is blank");
    }

    [Test]
    public void The_atlas_packs_row_r_of_glyph_c_into_byte_r_of_words_2c_and_2c_plus_1()
    {
        var atlas = BitmapFont.Atlas();
        var rows = BitmapFont.Rows('I');   // ".###." then "..#.." …
        Assert.That(rows[0], Is.EqualTo(0b01110));
        Assert.That(rows[1], Is.EqualTo(0b00100));
        Assert.That(atlas[2 * 'I'] & 0xFF, Is.EqualTo(rows[0]));
        Assert.That((atlas[2 * 'I'] >> 8) & 0xFF, Is.EqualTo(rows[1]));
        Assert.That(atlas[2 * 'I' + 1] & 0xFF, Is.EqualTo(rows[4]));
        Assert.That(atlas[2 * ' '] | atlas[2 * ' ' + 1], Is.Zero);
    }

    [Test]
    public void Text_grid_flags_the_rows_that_hold_text_and_upper_cases()
    {
        var grid = new TextGrid(10, 20);
        grid.Put(3, 8, "ab€cd", accent: true);   // clipped at column 10; € has no glyph
        Assert.That(grid.At(3, 8), Is.EqualTo('A'));
        Assert.That(grid.At(3, 9), Is.EqualTo('B'));
        var bytes = grid.Bytes;
        Assert.That(bytes[TextGrid.FlagBytes + 3 * 10 + 8], Is.EqualTo((byte)('A' | 0x80)));
        Assert.That(bytes[0], Is.EqualTo(1 << 3), "row 3 flagged, no other");
        Assert.That(bytes[1], Is.Zero);
    }

    [Test]
    public void Energy_chart_keeps_the_last_samples_in_ring_order_on_a_common_scale()
    {
        var chart = new EnergyChart(4);
        Assert.That(chart.Scaled(), Is.All.EqualTo(-1f), "no samples: nothing drawn");
        for (var i = 0; i < 6; i++) chart.Add(i, i + 0.5);   // samples 2..5 remain
        Assert.That(chart.Head, Is.EqualTo(2));
        var s = chart.Scaled();
        var ordered = Enumerable.Range(0, 4).Select(i => s[2 * ((chart.Head + i) % 4)]).ToArray();
        Assert.That(ordered, Is.Ordered.Ascending);
        Assert.That(s, Is.All.InRange(0f, 1f));
        Assert.That(s[2 * ((chart.Head + 3) % 4) + 1], Is.GreaterThan(s[2 * ((chart.Head + 3) % 4)]), "learned above true");
    }
}
