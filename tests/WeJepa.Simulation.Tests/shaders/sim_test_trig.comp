#version 450
#extension GL_GOOGLE_include_directive : require
// Test shader of the simulation's trigonometry (shaders/trig.glsl): for each x[i], i < n, writes
// (sin32, cos32, and sinCos32's two outputs), four inputs per invocation as physics.comp evaluates them.
layout(local_size_x = 64) in;

#include "trig.glsl"

layout(std430, set = 0, binding = 0) readonly buffer X { vec4 x[]; };    // (n / 4) quads of inputs
layout(std430, set = 0, binding = 1) writeonly buffer Y { vec4 y[]; };   // (n / 4, 4): sin, cos, sinCos.s, sinCos.c

layout(push_constant) uniform Push { uint quads; } pc;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= pc.quads) return;
    vec4 s, c;
    sinCos32(x[i], s, c);
    y[4u * i] = sin32(x[i]);
    y[4u * i + 1u] = cos32(x[i]);
    y[4u * i + 2u] = s;
    y[4u * i + 3u] = c;
}
