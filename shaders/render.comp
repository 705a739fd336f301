#version 450
// Renders a batch of anti-aliased RGB pendulum frames from a states buffer.
// Specification: src/WeJepa.Simulation/Rendering/ReferenceRenderer.cs (same formulas, same order).
// Grid: x = rows of a frame (one invocation per row), y = frames of this dispatch: frames
// [frameStart, frameStart + frameCount) of the batch, whose output binding starts at frame frameStart
// (the host splits batches whose output exceeds one storage binding). An invocation walks its row in
// quads of 4 horizontally adjacent pixels (vec4 maths; float32 output writes a uvec4 per channel, uint8
// packs the quad into one word).
//
// Why rows, and spans: lavapipe runs 8 invocations as the lanes of one SIMD vector and executes both
// sides of every branch under a mask, so skipping pixels per lane saves nothing; loop bounds are the
// one thing that skips work. Each row therefore computes, once, the span of quads any shape can touch
// (the rods' capsules and the discs, plus a margin) and shades only those; the rest of the row is the
// background, written without any distance maths. A pixel outside every shape's reach is exactly the
// background (coverage clamps to 0 and bg + (c − bg)·0 = bg), so the frame is bit-identical to shading
// every pixel (FULL_FRAME, which the tests compare against). The per-frame work (state, sin/cos,
// looks) is also done once per row instead of once per pixel quad.
// No integer division per pixel: lavapipe has no vector integer division.

// Specialisation constants, not push constants: lavapipe runs both sides of a branch under a mask
// unless the condition is known at compile time, and the unused noise path alone costs 60% of a frame.
layout(local_size_x_id = 0) in;                    // workgroup size (GpuRenderer.WorkgroupSize), in rows
layout(constant_id = 1) const uint LINKS = 1u;     // 1 simple pendulum (S = 2), 2 double pendulum (S = 4)
layout(constant_id = 2) const bool NOISE = false;  // add Gaussian sensor noise (noiseStddev > 0)
layout(constant_id = 3) const uint FORMAT = 0u;    // 0: float32 (3,H,W) per frame; 1: uint8 packed 4 per word
layout(constant_id = 4) const bool FULL_FRAME = false;  // shade every pixel (no spans): the tests' comparison
const uint S = 2u * LINKS;

layout(push_constant) uniform Params {
    uint width, height;        // frame size in pixels; width % 4 == 0
    float scale;               // world units across the width
    float centerX, centerY;    // world point at the image centre
    float rodWidth, bobRadius, pivotRadius;
    float length1, length2;    // link lengths (world units), before the per-env length scale
    float noiseStddev;         // additive Gaussian sensor noise on [0,1] values
    uint seedLo, seedHi;       // scene seed (noise key)
    uint framesPerEnv;         // frames per environment in the batch (T of a (K,T) shard, or 1)
    uint envBase, timeBase;    // global env / time of batch frame 0 (noise keys)
    uint frameStart;           // first batch frame of this dispatch
    uint frameCount;           // frames in this dispatch
} p;

layout(std430, binding = 0) readonly buffer States { float states[]; };   // (N, S)
layout(std430, binding = 1) readonly buffer Looks { vec4 looks[]; };      // (N / framesPerEnv, 16) floats
// The output, (frameCount, 3, H, W) float32 bits or uint8 packed 4 per word, seen as words and as quads.
layout(std430, binding = 2) writeonly buffer Frames { uint frames[]; };
layout(std430, binding = 2) writeonly buffer FrameQuads { uvec4 frameQuads[]; };

// ---- counter-based RNG: mirror of CounterRng.cs ----
uvec4 permute4(uvec4 v) {
    uvec4 state = v * 747796405u + 2891336453u;
    uvec4 word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}
uint permute(uint v) { return permute4(uvec4(v)).x; }
// Hash of (seed, stream, env, frame): the per-invocation prefix of CounterRng.Hash's chain.
uint hashPrefix(uint stream, uint env, uint frame) {
    uint h = permute(p.seedLo);
    h = permute(h ^ p.seedHi);
    h = permute(h ^ stream);
    h = permute(h ^ env);
    return permute(h ^ frame);
}
const uint NOISE_STREAM = 4u;   // CounterRng.NoiseStream
vec4 uniform01(uvec4 bits) { return vec4(bits >> 8u) * (1.0 / 16777216.0) + (0.5 / 16777216.0); }
// Standard normals of elements e (Box–Muller on elements 2e and 2e+1) given the prefix hash.
vec4 gaussian4(uint prefix, uvec4 element) {
    vec4 u1 = uniform01(permute4(prefix ^ (2u * element)));
    vec4 u2 = uniform01(permute4(prefix ^ (2u * element + 1u)));
    return sqrt(-2.0 * log(u1)) * cos(6.28318530718 * u2);
}

// ---- signed distances and coverage: mirror of Sdf.cs, for the 4 pixels (x0..x0+3, y) of a quad ----
// Distance from (qx, qy) to the segment a + h·ba, h in [0, 1]; invLen2 = 1 / |ba|² (0 for a point).
vec4 sdSegment(vec4 qx, float qy, vec2 a, vec2 ba, float invLen2) {
    vec4 pax = qx - a.x;
    float pay = qy - a.y;
    vec4 h = clamp((pax * ba.x + pay * ba.y) * invLen2, 0.0, 1.0);
    vec4 dx = pax - ba.x * h, dy = pay - ba.y * h;
    return sqrt(dx * dx + dy * dy);
}
vec4 sdPoint(vec4 qx, float qy, vec2 c) {
    vec4 dx = qx - c.x;
    float dy = qy - c.y;
    return sqrt(dx * dx + dy * dy);
}
float inverseLength2(vec2 ba) {
    float len2 = ba.x * ba.x + ba.y * ba.y;
    return len2 > 0.0 ? 1.0 / len2 : 0.0;
}
vec4 coverage(vec4 d, float invPixel) { return clamp(0.5 - d * invPixel, 0.0, 1.0); }

// ---- spans: world x-interval (lo, hi) of row y that a shape of reach r can touch; empty when lo > hi ----
const vec2 EMPTY = vec2(1e30, -1e30);
vec2 pointSpan(vec2 c, float y, float r) { return abs(c.y - y) <= r ? vec2(c.x - r, c.x + r) : EMPTY; }
// Points of the segment a + h·ba with |y(h) − y| ≤ r, widened by r.
vec2 segmentSpan(vec2 a, vec2 ba, float y, float r) {
    float h0 = 0.0, h1 = 1.0;
    if (ba.y != 0.0) {
        float ha = (y - r - a.y) / ba.y, hb = (y + r - a.y) / ba.y;
        h0 = max(h0, min(ha, hb));
        h1 = min(h1, max(ha, hb));
    } else if (abs(a.y - y) > r) {
        return EMPTY;
    }
    if (h0 > h1) return EMPTY;
    float x0 = a.x + ba.x * h0, x1 = a.x + ba.x * h1;
    return vec2(min(x0, x1) - r, max(x0, x1) + r);
}
vec2 unite(vec2 a, vec2 b) { return vec2(min(a.x, b.x), max(a.y, b.y)); }

// The frame this invocation draws.
struct Frame {
    uint local;                 // frame within this dispatch
    uint noiseKey;              // hash of (seed, stream, global env, time)
    vec3 cBg, cRod, cBob, cPiv;
    vec2 b1, b2, link2;         // bob positions, second link
    float inv1, inv2;
};

void storeQuad(Frame fr, uint y, uint quad, vec4 r, vec4 g, vec4 b) {
    uint plane = p.width * p.height;
    if (NOISE) {
        uint key = fr.noiseKey;
        uvec4 e = 3u * (y * p.width + 4u * quad + uvec4(0u, 1u, 2u, 3u));
        r = clamp(r + p.noiseStddev * gaussian4(key, e), 0.0, 1.0);
        g = clamp(g + p.noiseStddev * gaussian4(key, e + 1u), 0.0, 1.0);
        b = clamp(b + p.noiseStddev * gaussian4(key, e + 2u), 0.0, 1.0);
    }
    if (FORMAT == 0u) {
        uint quads = plane >> 2u, o = fr.local * 3u * quads + y * (p.width >> 2u) + quad;
        frameQuads[o] = floatBitsToUint(r);
        frameQuads[o + quads] = floatBitsToUint(g);
        frameQuads[o + 2u * quads] = floatBitsToUint(b);
    } else {
        uint words = plane >> 2u, o = fr.local * 3u * words + y * (p.width >> 2u) + quad;
        const uvec4 shift = uvec4(0u, 8u, 16u, 24u);
        uvec4 R = uvec4(clamp(r, 0.0, 1.0) * 255.0 + 0.5) << shift, G = uvec4(clamp(g, 0.0, 1.0) * 255.0 + 0.5) << shift;
        uvec4 B = uvec4(clamp(b, 0.0, 1.0) * 255.0 + 0.5) << shift;
        frames[o] = R.x | R.y | R.z | R.w;
        frames[o + words] = G.x | G.y | G.z | G.w;
        frames[o + 2u * words] = B.x | B.y | B.z | B.w;
    }
}

// Per channel exactly as ReferenceRenderer (vector ops are componentwise).
void shadeQuad(Frame fr, uint y, uint quad, float qy, float pixel, float invPixel) {
    vec4 x = vec4(4u * quad) + vec4(0.0, 1.0, 2.0, 3.0);
    vec4 qx = p.centerX + ((x + 0.5) - 0.5 * float(p.width)) * pixel;
    vec4 dRod = sdSegment(qx, qy, vec2(0.0), fr.b1, fr.inv1);
    vec4 dBob = sdPoint(qx, qy, fr.b1);
    if (LINKS == 2u) {
        dRod = min(dRod, sdSegment(qx, qy, fr.b1, fr.link2, fr.inv2));
        dBob = min(dBob, sdPoint(qx, qy, fr.b2));
    }
    vec4 aRod = coverage(dRod - 0.5 * p.rodWidth, invPixel);
    vec4 aBob = coverage(dBob - p.bobRadius, invPixel);
    vec4 aPiv = coverage(sdPoint(qx, qy, vec2(0.0)) - p.pivotRadius, invPixel);
    vec4 r = vec4(fr.cBg.r), g = vec4(fr.cBg.g), b = vec4(fr.cBg.b);
    r = r + (fr.cRod.r - r) * aRod; g = g + (fr.cRod.g - g) * aRod; b = b + (fr.cRod.b - b) * aRod;
    r = r + (fr.cBob.r - r) * aBob; g = g + (fr.cBob.g - g) * aBob; b = b + (fr.cBob.b - b) * aBob;
    r = r + (fr.cPiv.r - r) * aPiv; g = g + (fr.cPiv.g - g) * aPiv; b = b + (fr.cPiv.b - b) * aPiv;
    storeQuad(fr, y, quad, r, g, b);
}

void main() {
    uint y = gl_GlobalInvocationID.x;     // row within the frame
    if (y >= p.height || gl_WorkGroupID.y >= p.frameCount) return;
    Frame fr;
    fr.local = gl_WorkGroupID.y;          // frame within this dispatch
    uint f = p.frameStart + fr.local;     // frame within the batch
    uint envLocal = f / p.framesPerEnv;
    uint env = p.envBase + envLocal, time = p.timeBase + (f - envLocal * p.framesPerEnv);
    fr.noiseKey = NOISE ? hashPrefix(NOISE_STREAM, env, time) : 0u;

    // The 16-float look record (EnvLooks.cs): bg.rgb, rod.rgb, bob.rgb, pivot.rgb, length scale, pad.
    vec4 look0 = looks[4u * envLocal], look1 = looks[4u * envLocal + 1u];
    vec4 look2 = looks[4u * envLocal + 2u], look3 = looks[4u * envLocal + 3u];
    fr.cBg = look0.xyz; fr.cRod = vec3(look0.w, look1.xy); fr.cBob = vec3(look1.zw, look2.x); fr.cPiv = look2.yzw;
    float lengthScale = look3.x;

    // Bob positions (FrameGeometry.Of).
    float t1 = states[f * S];
    float l1 = p.length1 * lengthScale;
    fr.b1 = vec2(l1 * sin(t1), -l1 * cos(t1));
    fr.b2 = fr.b1;
    if (LINKS == 2u) {
        float t2 = states[f * S + 1u];
        float l2 = p.length2 * lengthScale;
        fr.b2 = vec2(fr.b1.x + l2 * sin(t2), fr.b1.y - l2 * cos(t2));
    }
    fr.link2 = fr.b2 - fr.b1;
    fr.inv1 = inverseLength2(fr.b1); fr.inv2 = inverseLength2(fr.link2);

    float pixel = p.scale / float(p.width), invPixel = float(p.width) / p.scale;
    float qy = p.centerY - ((float(y) + 0.5) - 0.5 * float(p.height)) * pixel;
    uint quads = p.width >> 2u;

    // The quads of this row any shape can touch: a shape covers a pixel only within its half-width
    // + half a pixel of it; one more pixel of margin absorbs float rounding.
    uint lo = 0u, hi = quads;             // shaded quads [lo, hi)
    if (!FULL_FRAME) {
        float margin = 1.5 * pixel;
        float rRod = 0.5 * p.rodWidth + margin, rBob = p.bobRadius + margin;
        vec2 span = unite(unite(segmentSpan(vec2(0.0), fr.b1, qy, rRod), pointSpan(fr.b1, qy, rBob)),
                          pointSpan(vec2(0.0), qy, p.pivotRadius + margin));
        if (LINKS == 2u) span = unite(span, unite(segmentSpan(fr.b1, fr.link2, qy, rRod), pointSpan(fr.b2, qy, rBob)));
        // world x → pixel column: x = centerX + (column + 0.5 − W/2)·pixel
        vec2 columns = (span - p.centerX) * invPixel + 0.5 * float(p.width) - 0.5;
        float first = clamp(floor(columns.x * 0.25), 0.0, float(quads)), last = clamp(floor(columns.y * 0.25) + 1.0, 0.0, float(quads));
        if (span.x <= span.y && first < last) { lo = uint(first); hi = uint(last); }
        else { lo = quads; hi = quads; }
    }
    vec4 bgR = vec4(fr.cBg.r), bgG = vec4(fr.cBg.g), bgB = vec4(fr.cBg.b);
    for (uint q = 0u; q < lo; q++) storeQuad(fr, y, q, bgR, bgG, bgB);
    for (uint q = lo; q < hi; q++) shadeQuad(fr, y, q, qy, pixel, invPixel);
    for (uint q = hi; q < quads; q++) storeQuad(fr, y, q, bgR, bgG, bgB);
}
