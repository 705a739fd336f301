#version 450
// Renders a batch of anti-aliased RGB pendulum frames from a states buffer.
// Specification: src/WeJepa.Simulation/Rendering/ReferenceRenderer.cs (same formulas, same order).
// Grid: x = quads of 4 horizontally adjacent pixels of a frame (uint8 output writes whole words),
// y = frames of this dispatch: frames [frameStart, frameStart + frameCount) of the batch, whose output
// binding starts at frame frameStart (the host splits batches whose output exceeds one storage
// binding). No integer division per pixel: lavapipe has no vector integer division.

// Specialisation constants, not push constants: lavapipe runs both sides of a branch under a mask
// unless the condition is known at compile time, and the unused noise path alone costs 60% of a frame.
layout(local_size_x_id = 0) in;                    // workgroup size (GpuRenderer.WorkgroupSize)
layout(constant_id = 1) const uint LINKS = 1u;     // 1 simple pendulum (S = 2), 2 double pendulum (S = 4)
layout(constant_id = 2) const bool NOISE = false;  // add Gaussian sensor noise (noiseStddev > 0)
layout(constant_id = 3) const uint FORMAT = 0u;    // 0: float32 (3,H,W) per frame; 1: uint8 packed 4 per word
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
layout(std430, binding = 2) writeonly buffer Frames { uint frames[]; };   // (frameCount, 3, H, W) float bits, or uint8 packed 4 per word

// ---- counter-based RNG: mirror of CounterRng.cs ----
uint permute(uint v) {
    uint state = v * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}
// Hash of (seed, stream, env, frame): the per-invocation prefix of CounterRng.Hash's chain.
uint hashPrefix(uint stream, uint env, uint frame) {
    uint h = permute(p.seedLo);
    h = permute(h ^ p.seedHi);
    h = permute(h ^ stream);
    h = permute(h ^ env);
    return permute(h ^ frame);
}
float uniform01(uint bits) { return float(bits >> 8u) * (1.0 / 16777216.0) + (0.5 / 16777216.0); }
const uint NOISE_STREAM = 4u;   // CounterRng.NoiseStream
// Standard normal of element `element` (Box–Muller on elements 2e and 2e+1) given the prefix hash.
float gaussian(uint prefix, uint element) {
    float u1 = uniform01(permute(prefix ^ (2u * element)));
    float u2 = uniform01(permute(prefix ^ (2u * element + 1u)));
    return sqrt(-2.0 * log(u1)) * cos(6.28318530718 * u2);
}

// ---- signed distances and coverage: mirror of Sdf.cs ----
// Distance from q to the segment a + h·ba, h in [0, 1]; invLen2 = 1 / |ba|² (0 for a point).
float sdSegment(vec2 q, vec2 a, vec2 ba, float invLen2) {
    vec2 pa = q - a;
    float h = clamp((pa.x * ba.x + pa.y * ba.y) * invLen2, 0.0, 1.0);
    float dx = pa.x - ba.x * h, dy = pa.y - ba.y * h;
    return sqrt(dx * dx + dy * dy);
}
// Squared forms of the two distances, for the far test.
float squaredSegment(vec2 q, vec2 a, vec2 ba, float invLen2) {
    vec2 pa = q - a;
    float h = clamp((pa.x * ba.x + pa.y * ba.y) * invLen2, 0.0, 1.0);
    float dx = pa.x - ba.x * h, dy = pa.y - ba.y * h;
    return dx * dx + dy * dy;
}
float squaredPoint(vec2 q, vec2 c) {
    float dx = q.x - c.x, dy = q.y - c.y;
    return dx * dx + dy * dy;
}
float sdPoint(vec2 q, vec2 c) {
    float dx = q.x - c.x, dy = q.y - c.y;
    return sqrt(dx * dx + dy * dy);
}
float inverseLength2(vec2 ba) {
    float len2 = ba.x * ba.x + ba.y * ba.y;
    return len2 > 0.0 ? 1.0 / len2 : 0.0;
}
float coverage(float d, float invPixel) { return clamp(0.5 - d * invPixel, 0.0, 1.0); }

void main() {
    uint quadsPerRow = p.width >> 2u;
    uint quad = gl_GlobalInvocationID.x;  // quad within the frame
    if (quad >= quadsPerRow * p.height || gl_WorkGroupID.y >= p.frameCount) return;
    uint local = gl_WorkGroupID.y;        // frame within this dispatch
    uint f = p.frameStart + local;        // frame within the batch
    uint envLocal = f / p.framesPerEnv;
    uint env = p.envBase + envLocal;
    uint time = p.timeBase + (f - envLocal * p.framesPerEnv);

    // The 16-float look record (EnvLooks.cs): bg.rgb, rod.rgb, bob.rgb, pivot.rgb, length scale, pad.
    vec4 look0 = looks[4u * envLocal], look1 = looks[4u * envLocal + 1u];
    vec4 look2 = looks[4u * envLocal + 2u], look3 = looks[4u * envLocal + 3u];
    vec3 cBg = look0.xyz, cRod = vec3(look0.w, look1.xy), cBob = vec3(look1.zw, look2.x), cPiv = look2.yzw;
    float lengthScale = look3.x;

    // Bob positions (FrameGeometry.Of).
    float t1 = states[f * S];
    float l1 = p.length1 * lengthScale;
    vec2 b1 = vec2(l1 * sin(t1), -l1 * cos(t1));
    vec2 b2 = b1;
    if (LINKS == 2u) {
        float t2 = states[f * S + 1u];
        float l2 = p.length2 * lengthScale;
        b2 = vec2(b1.x + l2 * sin(t2), b1.y - l2 * cos(t2));
    }
    vec2 link2 = b2 - b1;
    float inv1 = inverseLength2(b1), inv2 = inverseLength2(link2);

    float pixel = p.scale / float(p.width), invPixel = float(p.width) / p.scale;
    uint y = quad / quadsPerRow, x0 = 4u * (quad - y * quadsPerRow);
    uint plane = p.width * p.height;
    float qy = p.centerY - ((float(y) + 0.5) - 0.5 * float(p.height)) * pixel;
    uint noiseKey = NOISE ? hashPrefix(NOISE_STREAM, env, time) : 0u;

    // Far test, once per quad: every pixel of the quad lies within `reach` of its centre, and distances
    // are 1-Lipschitz, so a shape whose distance from the centre exceeds (its half-width + half a pixel
    // + reach) covers none of the four pixels (coverage clamps to exactly 0). A pixel no shape covers is
    // exactly cBg (cBg + (c − cBg)·0), so skipping it keeps the frame bit-identical to the reference.
    // One pixel of margin absorbs float rounding; the comparison is on squared distances (no sqrt).
    // Lanes of a SIMD group that are all far skip the distance maths entirely (most of a frame).
    vec2 qc = vec2(p.centerX + (float(x0) + 2.0 - 0.5 * float(p.width)) * pixel, qy);
    float reach = 3.1 * pixel;   // half-diagonal of a 4x1 quad (2.06 px) + 1 px margin
    float rRod = 0.5 * p.rodWidth + 0.5 * pixel + reach, rBob = p.bobRadius + 0.5 * pixel + reach;
    float rPiv = p.pivotRadius + 0.5 * pixel + reach;
    bool near = squaredSegment(qc, vec2(0.0), b1, inv1) < rRod * rRod || squaredPoint(qc, b1) < rBob * rBob
                || squaredPoint(qc, vec2(0.0)) < rPiv * rPiv;
    if (LINKS == 2u) near = near || squaredSegment(qc, b1, link2, inv2) < rRod * rRod || squaredPoint(qc, b2) < rBob * rBob;

    uvec3 packed = uvec3(0u);
    for (uint k = 0u; k < 4u; k++) {
        uint x = x0 + k, pix = y * p.width + x;
        // Per channel exactly as ReferenceRenderer (vector ops are componentwise; no dynamic indexing,
        // which lavapipe would spill to memory).
        vec3 v = cBg;
        if (near) {
            vec2 q = vec2(p.centerX + ((float(x) + 0.5) - 0.5 * float(p.width)) * pixel, qy);
            float dRod = sdSegment(q, vec2(0.0), b1, inv1);
            float dBob = sdPoint(q, b1);
            if (LINKS == 2u) {
                dRod = min(dRod, sdSegment(q, b1, link2, inv2));
                dBob = min(dBob, sdPoint(q, b2));
            }
            float aRod = coverage(dRod - 0.5 * p.rodWidth, invPixel);
            float aBob = coverage(dBob - p.bobRadius, invPixel);
            float aPiv = coverage(sdPoint(q, vec2(0.0)) - p.pivotRadius, invPixel);
            v = v + (cRod - v) * aRod;
            v = v + (cBob - v) * aBob;
            v = v + (cPiv - v) * aPiv;
        }
        if (NOISE) {
            uint e = 3u * pix;
            vec3 g = vec3(gaussian(noiseKey, e), gaussian(noiseKey, e + 1u), gaussian(noiseKey, e + 2u));
            v = clamp(v + p.noiseStddev * g, 0.0, 1.0);
        }
        if (FORMAT == 0u) {
            uint o = local * 3u * plane + pix;
            frames[o] = floatBitsToUint(v.x);
            frames[o + plane] = floatBitsToUint(v.y);
            frames[o + 2u * plane] = floatBitsToUint(v.z);
        } else {
            packed |= uvec3(clamp(v, 0.0, 1.0) * 255.0 + 0.5) << (8u * k);
        }
    }
    if (FORMAT != 0u) {
        uint words = plane >> 2u;
        uint o = local * 3u * words + quad;
        frames[o] = packed.x;
        frames[o + words] = packed.y;
        frames[o + 2u * words] = packed.z;
    }
}
