using WeJepa.Viewer.Composition;

namespace WeJepa.Viewer.Tests;

public class LayoutTests
{
    [TestCase(1040, 640, 1)]
    [TestCase(800, 500, 1)]
    [TestCase(901, 557, 3)]
    [TestCase(1280, 800, 8)]
    [TestCase(320, 240, 5)]
    public void Tiles_lie_inside_the_image_above_the_hud_without_overlapping(int width, int height, int pairs)
    {
        var l = ViewLayout.For(width, height, pairs);
        Assert.That(l.Tile % 4, Is.Zero, "render.comp writes 4 pixels per word");
        Assert.That(l.OriginX % 4, Is.Zero, "compose.comp's quads stay inside one tile");
        Assert.That(l.HudTop, Is.LessThan(height));
        Assert.That(l.HudTop % l.CellH, Is.Zero, "the HUD's text rows start at its top");
        Assert.That(l.HudRow + ViewLayout.HudLines, Is.LessThanOrEqualTo(l.TextRows), "the HUD's text lines fit");
        var rects = new List<(int X, int Y)>();
        for (var p = 0; p < pairs; p++)
            foreach (var learned in new[] { false, true })
            {
                var (x, y) = l.TileOrigin(p, learned);
                Assert.That(x, Is.GreaterThanOrEqualTo(0));
                Assert.That(x + l.Tile, Is.LessThanOrEqualTo(width));
                Assert.That(y + l.Tile, Is.LessThanOrEqualTo(l.HudTop));
                foreach (var (ox, oy) in rects)
                    Assert.That(x + l.Tile <= ox || ox + l.Tile <= x || y + l.Tile <= oy || oy + l.Tile <= y, "tiles overlap");
                rects.Add((x, y));
                if (!learned) Assert.That(l.TrueTileAt(x + l.Tile / 2, y + l.Tile / 2), Is.EqualTo(p));
                else Assert.That(l.TrueTileAt(x + l.Tile / 2, y + l.Tile / 2), Is.EqualTo(-1));
            }
        Assert.That(l.ChartX + l.ChartW, Is.LessThanOrEqualTo(width));
        Assert.That(l.ChartY + l.ChartH, Is.LessThanOrEqualTo(height));
    }

    [Test]
    public void The_benchmark_window_holds_two_512_pixel_tiles()
    {
        var (w, h) = ViewLayout.WindowFor(pairs: 1, tile: 512);
        Assert.That(ViewLayout.For(w, h, 1).Tile, Is.EqualTo(512));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-2.5)]
    public void AngleAt_inverts_the_cameras_bob_position(double theta)
    {
        var l = ViewLayout.For(800, 500, 2);
        const float scale = 2.5f, cx = 0.1f, cy = -0.2f;
        var (px, py) = l.PivotPixel(1, learned: true, scale, cx, cy);
        var perWorld = l.Tile / scale;
        // The bob of a unit rod at θ: world (sin θ, −cos θ), y up; pixels y down.
        double bx = px + Math.Sin(theta) * perWorld, by = py + Math.Cos(theta) * perWorld;
        Assert.That(BobFinder.AngleGap(l.AngleAt(1, true, scale, cx, cy, bx, by), theta), Is.LessThan(1e-9));
    }
}
