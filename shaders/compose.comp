#version 450
// Composes the viewer's window image: K pairs of rendered pendulum tiles (true | learned) in a grid,
// a HUD panel with an energy strip chart, and text from a bitmap font, into B8G8R8A8 words that the
// presenter copies into the swapchain image (or the host reads for a screenshot / GIF frame).
// Layout: src/WeJepa.Viewer/Composition/ViewLayout.cs computes every rectangle; this shader only
// looks pixels up. One invocation per quad of 4 horizontally adjacent pixels: the grid's origin, tile
// size and gap are multiples of 4, so a quad lies in one tile and reads one word per colour plane
// (render.comp's uint8 output packs 4 pixels per word). No per-pixel integer division (lavapipe has no
// vector integer division): quotients come from a float reciprocal, corrected by one step.
layout(local_size_x = 16, local_size_y = 4) in;

// What one dispatch composes (a specialisation constant: lavapipe compiles only the chosen path).
// 0: image rows [firstRow, height): tiles (full frames from render.comp), gutters, HUD, chart and text.
// 1: the changed rectangles of the tiles: grid z = tile (K true then K learned), each a rectW × rectH frame
//    render.comp drew through a camera on that part of the tile, placed at rects[tile]; text is drawn over it.
layout(constant_id = 0) const uint MODE = 0u;

layout(push_constant) uniform Params {
    uint width, height;          // window image size
    uint tileW, tileH;           // one rendered pendulum frame (tileW % 4 == 0)
    uint pairCols, pairs;        // pairs per grid row, number of pairs K
    uint originX, originY;       // top-left of the grid (originX % 4 == 0)
    uint gap;                    // pixels between the two tiles of a pair and between pairs (% 4 == 0)
    uint hudTop;                 // first row of the HUD panel
    uint cellW, cellH, glyphScale;   // text cell size in pixels, glyph pixel size
    uint textCols, textRows;
    uint chartX, chartY, chartW, chartH;   // the strip chart (chartW samples, one per column)
    uint chartHead;              // ring-buffer index of the oldest sample
    uint panelColor, textColor, accentColor, trueColor, learnedColor;   // 0xRRGGBB
    uint firstRow;               // MODE 0: the first image row composed
    uint rectW, rectH, rectWords;   // MODE 1: size of each tile's rectangle (rectW % 4 == 0), words between their frames
} p;

layout(std430, binding = 0) readonly buffer Frames { uint frames[]; };   // (2K, 3, tileH, tileW) uint8 packed 4 per word: K true then K learned
layout(std430, binding = 1) readonly buffer Text { uint text[]; };       // a bit per text row (1: has text), padded to 8 words, then (textRows, textCols) bytes packed 4 per word: ASCII | 0x80 for the accent colour
layout(std430, binding = 2) readonly buffer Font { uint font[]; };       // 128 glyphs × 8 rows of 8 bits (bit 0 leftmost), 2 words per glyph
layout(std430, binding = 3) readonly buffer Chart { vec2 chart[]; };     // (chartW,) energies (true, learned) scaled to [0, 1]; −1 where no sample yet
layout(std430, binding = 4) writeonly buffer Image { uvec4 image[]; };   // (height, stride) B | G<<8 | R<<16 | A<<24, stride = width rounded up to 4 (the copy's bufferRowLength)
layout(std430, binding = 5) readonly buffer Rects { uvec2 rects[]; };    // MODE 1: (2K,) image pixel of each rectangle's top-left (x % 4 == 0)

const uint TEXT_CELLS = 8u;   // words of row flags before the cells (256 rows)

uint quotient(uint a, uint b) {
    uint q = uint(float(a) / float(b));
    if (q * b > a) q--;
    else if ((q + 1u) * b <= a) q++;
    return q;
}
vec3 rgb(uint c) { return vec3((c >> 16u) & 255u, (c >> 8u) & 255u, c & 255u) / 255.0; }

// The HUD panel and its strip chart at pixel (x, y).
vec3 hud(uint x, uint y) {
    vec3 c = rgb(p.panelColor);
    if (y < p.chartY || y >= p.chartY + p.chartH || x < p.chartX || x >= p.chartX + p.chartW) return c;
    uint i = p.chartHead + (x - p.chartX);
    if (i >= p.chartW) i -= p.chartW;
    vec2 e = chart[i];
    float top = float(p.chartY), span = float(p.chartH - 1u);
    float yt = top + (1.0 - clamp(e.x, 0.0, 1.0)) * span, yl = top + (1.0 - clamp(e.y, 0.0, 1.0)) * span;
    c *= 0.6;
    if (e.x >= 0.0 && abs(float(y) - yt) < 1.0) c = rgb(p.trueColor);     // −1: no sample yet
    if (e.y >= 0.0 && abs(float(y) - yl) < 1.0) c = rgb(p.learnedColor);
    return c;
}

// Text over c at pixel x of text row tr, glyph row gy.
vec3 ink(vec3 c, uint x, uint tr, uint gy) {
    uint tc = quotient(x, p.cellW);
    if (tc >= p.textCols || gy >= 8u) return c;
    uint cell = tr * p.textCols + tc;
    uint code = (text[TEXT_CELLS + (cell >> 2u)] >> (8u * (cell & 3u))) & 255u;
    uint gx = quotient(x - tc * p.cellW, p.glyphScale);
    if ((code & 127u) <= 32u || gx >= 8u) return c;
    uint bits = (font[2u * (code & 127u) + (gy >> 2u)] >> (8u * (gy & 3u))) & 255u;
    if (((bits >> gx) & 1u) == 0u) return c;
    return rgb((code & 128u) != 0u ? p.accentColor : p.textColor);
}

uint bgra(vec3 c) {
    uvec3 v = uvec3(clamp(c, 0.0, 1.0) * 255.0 + 0.5);
    return v.z | (v.y << 8u) | (v.x << 16u) | (255u << 24u);
}

// Four pixels of one tile from render.comp's uint8 planes (words r, g, b each pack 4 pixels): byte shuffles, no floats.
uvec4 tileQuad(uint base, uint words) {
    uint r = frames[base], g = frames[base + words], b = frames[base + 2u * words];
    uvec4 k = uvec4(0u, 8u, 16u, 24u);
    return ((uvec4(b) >> k) & 255u) | (((uvec4(g) >> k) & 255u) << 8u) | (((uvec4(r) >> k) & 255u) << 16u) | uvec4(255u << 24u);
}

vec3 unpack(uint w) { return vec3((w >> 16u) & 255u, (w >> 8u) & 255u, w & 255u) / 255.0; }

// Text over the quad at (x0, y), when its text row holds any.
uvec4 withText(uvec4 q, uint x0, uint y) {
    uint tr = quotient(y, p.cellH);
    if (tr >= p.textRows || ((text[tr >> 5u] >> (tr & 31u)) & 1u) == 0u) return q;   // most rows hold no text: skip them whole
    uint gy = quotient(y - tr * p.cellH, p.glyphScale);
    return uvec4(bgra(ink(unpack(q.x), x0, tr, gy)), bgra(ink(unpack(q.y), x0 + 1u, tr, gy)),
                 bgra(ink(unpack(q.z), x0 + 2u, tr, gy)), bgra(ink(unpack(q.w), x0 + 3u, tr, gy)));
}

void main() {
    if (MODE == 1u) {
        uint qx = gl_GlobalInvocationID.x, ry = gl_GlobalInvocationID.y, tile = gl_GlobalInvocationID.z;
        if (4u * qx >= p.rectW || ry >= p.rectH) return;
        uvec2 at = rects[tile];
        uint rx0 = at.x + 4u * qx, ryImage = at.y + ry;
        uvec4 q = tileQuad(tile * p.rectWords + ((ry * p.rectW) >> 2u) + qx, (p.rectW * p.rectH) >> 2u);
        image[ryImage * ((p.width + 3u) >> 2u) + (rx0 >> 2u)] = withText(q, rx0, ryImage);
        return;
    }
    uint x0 = 4u * gl_GlobalInvocationID.x, y = p.firstRow + gl_GlobalInvocationID.y;
    if (x0 >= p.width || y >= p.height) return;
    // Four named pixels, not an array: lavapipe spills dynamically indexed arrays to memory.
    vec3 gutter = rgb(p.panelColor);   // the panel colour frames the tiles
    vec3 c0 = gutter, c1 = gutter, c2 = gutter, c3 = gutter;
    if (y >= p.hudTop) {
        c0 = hud(x0, y); c1 = hud(x0 + 1u, y); c2 = hud(x0 + 2u, y); c3 = hud(x0 + 3u, y);
    } else if (x0 >= p.originX && y >= p.originY) {
        uint rx = x0 - p.originX, ry = y - p.originY;
        uint pairW = 2u * p.tileW + 2u * p.gap, rowH = p.tileH + p.gap;
        uint col = quotient(rx, pairW), row = quotient(ry, rowH);
        uint ux = rx - col * pairW, ty = ry - row * rowH;
        uint pair = row * p.pairCols + col;
        uint side = ux >= p.tileW + p.gap ? 1u : 0u;
        uint tx = ux - side * (p.tileW + p.gap);
        if (col < p.pairCols && pair < p.pairs && tx < p.tileW && ty < p.tileH) {
            uint words = (p.tileW * p.tileH) >> 2u;
            uint base = (side * p.pairs + pair) * 3u * words + ((ty * p.tileW + tx) >> 2u);
            uvec3 w = uvec3(frames[base], frames[base + words], frames[base + 2u * words]);
            c0 = vec3(w & 255u) / 255.0;
            c1 = vec3((w >> 8u) & 255u) / 255.0;
            c2 = vec3((w >> 16u) & 255u) / 255.0;
            c3 = vec3(w >> 24u) / 255.0;
        }
    }
    uint tr = quotient(y, p.cellH);
    if (tr < p.textRows && ((text[tr >> 5u] >> (tr & 31u)) & 1u) != 0u) {   // most rows hold no text: skip them whole
        uint gy = quotient(y - tr * p.cellH, p.glyphScale);
        c0 = ink(c0, x0, tr, gy); c1 = ink(c1, x0 + 1u, tr, gy); c2 = ink(c2, x0 + 2u, tr, gy); c3 = ink(c3, x0 + 3u, tr, gy);
    }
    image[y * ((p.width + 3u) >> 2u) + gl_GlobalInvocationID.x] = uvec4(bgra(c0), bgra(c1), bgra(c2), bgra(c3));
}
