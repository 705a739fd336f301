#version 450
// Test shader of the Vulkan runtime: y[i] += 1 in place, to prove replayed submits run again.
layout(local_size_x = 64) in;

layout(std430, set = 0, binding = 0) buffer Y { float y[]; };  // y is (n,)

layout(push_constant) uniform Push { uint n; } pc;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i < pc.n) y[i] += 1.0;
}
