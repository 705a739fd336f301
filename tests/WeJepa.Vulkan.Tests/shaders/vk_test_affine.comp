#version 450
// Test shader of the Vulkan runtime: y[i] = a * x[i] + b for i < n, one invocation per element.
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer X { float x[]; };  // x is (n,)
layout(std430, set = 0, binding = 1) buffer Y { float y[]; };           // y is (>= n,)

layout(push_constant) uniform Push { uint n; float a; float b; } pc;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= pc.n) return;
    y[i] = pc.a * x[i] + pc.b;
}
