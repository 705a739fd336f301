#version 450
// Renders a batch of anti-aliased RGB pendulum frames from a states buffer.
// Specification: src/WeJepa.Simulation/Rendering/ReferenceRenderer.cs (same formulas, same order).
// One invocation = 4 consecutive pixels of one frame's plane (so uint8 output writes whole words).
// A dispatch covers frames [frameStart, frameStart + frameCount) of the batch; the output binding
// starts at frame frameStart (the host splits batches whose output exceeds one storage binding).

layout(local_size_x = 64) in;

layout(push_constant) uniform Params {
    uint width, height;        // frame size in pixels; width*height % 4 == 0
    float scale;               // world units across the width
    float centerX, centerY;    // world point at the image centre
    float rodWidth, bobRadius, pivotRadius;
    float length1, length2;    // link lengths (world units), before the per-env length scale
    uint links;                // 1 simple, 2 double pendulum
    uint stateSize;            // S = 2 * links
    float noiseStddev;         // additive Gaussian sensor noise on [0,1] values
    uint seedLo, seedHi;       // scene seed (noise key)
    uint framesPerEnv;         // frames per environment in the batch (T of a (K,T) shard, or 1)
    uint envBase, timeBase;    // global env / time of batch frame 0 (noise keys)
    uint frameStart;           // first batch frame of this dispatch
    uint frameCount;           // frames in this dispatch
    uint format;               // 0: float32 (3,H,W) per frame; 1: uint8 packed 4 per word
} p;

layout(std430, binding = 0) readonly buffer States { float states[]; };   // (N, S)
layout(std430, binding = 1) readonly buffer Looks { vec4 looks[]; };      // (N / framesPerEnv, 16) floats
layout(std430, binding = 2) writeonly buffer Frames { uint frames[]; };   // (frameCount, 3, H, W) float bits, or uint8 x4 packed

// ---- counter-based RNG: mirror of CounterRng.cs ----
uint permute(uint v) {
    uint state = v * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}
uint hashKeys(uint stream, uint env, uint frame, uint element) {
    uint h = permute(p.seedLo);
    h = permute(h ^ p.seedHi);
    h = permute(h ^ stream);
    h = permute(h ^ env);
    h = permute(h ^ frame);
    return permute(h ^ element);
}
float uniform01(uint bits) { return float(bits >> 8u) * (1.0 / 16777216.0) + (0.5 / 16777216.0); }
const uint NOISE_STREAM = 4u;   // CounterRng.NoiseStream
float gaussian(uint env, uint frame, uint element) {
    float u1 = uniform01(hashKeys(NOISE_STREAM, env, frame, 2u * element));
    float u2 = uniform01(hashKeys(NOISE_STREAM, env, frame, 2u * element + 1u));
    return sqrt(-2.0 * log(u1)) * cos(6.28318530718 * u2);
}

// ---- signed distances: mirror of Sdf.cs ----
float sdSegment(vec2 q, vec2 a, vec2 b) {
    vec2 pa = q - a, ba = b - a;
    float len2 = ba.x * ba.x + ba.y * ba.y;
    float h = len2 > 0.0 ? clamp((pa.x * ba.x + pa.y * ba.y) / len2, 0.0, 1.0) : 0.0;
    float dx = pa.x - ba.x * h, dy = pa.y - ba.y * h;
    return sqrt(dx * dx + dy * dy);
}
float sdPoint(vec2 q, vec2 c) {
    float dx = q.x - c.x, dy = q.y - c.y;
    return sqrt(dx * dx + dy * dy);
}
float coverage(float d, float pixel) { return clamp(0.5 - d / pixel, 0.0, 1.0); }
float mixf(float a, float b, float t) { return a + (b - a) * t; }

void main() {
    uint quads = (p.width * p.height) >> 2u;
    uint id = gl_GlobalInvocationID.x;
    if (id >= p.frameCount * quads) return;
    uint local = id / quads;              // frame within this dispatch
    uint quad = id - local * quads;
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
    float t1 = states[f * p.stateSize];
    float l1 = p.length1 * lengthScale;
    vec2 b1 = vec2(l1 * sin(t1), -l1 * cos(t1));
    vec2 b2 = b1;
    if (p.links == 2u) {
        float t2 = states[f * p.stateSize + 1u];
        float l2 = p.length2 * lengthScale;
        b2 = vec2(b1.x + l2 * sin(t2), b1.y - l2 * cos(t2));
    }

    float pixel = p.scale / float(p.width);
    uint plane = p.width * p.height;
    uint packed[3] = uint[3](0u, 0u, 0u);
    for (uint k = 0u; k < 4u; k++) {
        uint pix = 4u * quad + k;
        uint y = pix / p.width, x = pix - y * p.width;
        vec2 q = vec2(p.centerX + ((float(x) + 0.5) - 0.5 * float(p.width)) * pixel,
                      p.centerY - ((float(y) + 0.5) - 0.5 * float(p.height)) * pixel);
        float dRod = sdSegment(q, vec2(0.0), b1);
        float dBob = sdPoint(q, b1);
        if (p.links == 2u) {
            dRod = min(dRod, sdSegment(q, b1, b2));
            dBob = min(dBob, sdPoint(q, b2));
        }
        float aRod = coverage(dRod - 0.5 * p.rodWidth, pixel);
        float aBob = coverage(dBob - p.bobRadius, pixel);
        float aPiv = coverage(sdPoint(q, vec2(0.0)) - p.pivotRadius, pixel);
        for (uint c = 0u; c < 3u; c++) {
            float v = cBg[c];
            v = mixf(v, cRod[c], aRod);
            v = mixf(v, cBob[c], aBob);
            v = mixf(v, cPiv[c], aPiv);
            if (p.noiseStddev > 0.0)
                v = clamp(v + p.noiseStddev * gaussian(env, time, 3u * pix + c), 0.0, 1.0);
            if (p.format == 0u)
                frames[(local * 3u + c) * plane + pix] = floatBitsToUint(v);
            else
                packed[c] |= uint(clamp(v, 0.0, 1.0) * 255.0 + 0.5) << (8u * k);
        }
    }
    if (p.format != 0u)
        for (uint c = 0u; c < 3u; c++)
            frames[((local * 3u + c) * plane >> 2u) + quad] = packed[c];
}
