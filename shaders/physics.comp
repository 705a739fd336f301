#version 450
#extension GL_GOOGLE_include_directive : require
// Batched pendulum physics: LANES = 4 environments per invocation, `steps` fixed timesteps per
// dispatch, float32. A port of WeJepa.Simulation.Reference (tested against it). Four environments per
// invocation because one RK4 step is a single chain of dependent operations: lavapipe runs an
// invocation per SIMD lane, so with one environment each the CPU waits on latencies; four independent
// chains (vec4 columns) keep its pipelines full. Bindings may be windows of bigger buffers (the host
// splits batches at maxStorageBufferRange): the *Base push constants are element offsets of this
// dispatch's first environment inside each binding.

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint SYSTEM = 0u;      // 0 = pendulum (S = 2), 1 = double pendulum (S = 4)
layout(constant_id = 2) const uint INTEGRATOR = 0u;  // 0 = RK4, 1 = leapfrog, 2 = semi-implicit Euler
layout(constant_id = 3) const bool RECORD = true;    // write every frame's state and energy, else only the final state
layout(constant_id = 4) const bool DRIVEN = true;    // false when the drive amplitude is 0: skips a cos per force evaluation

#include "trig.glsl"
#include "physics_systems.glsl"
#include "physics_integrators.glsl"

const uint S = SYSTEM == 0u ? 2u : 4u;
const uint LANES = 4u;   // environments per invocation (GpuPhysics.EnvsPerInvocation)

layout(std430, set = 0, binding = 0) buffer States { float states[]; };            // (N, S) current state, updated in place
layout(std430, set = 0, binding = 1) readonly buffer Scales { float scales[]; };   // (N,) rod-length factor per env
layout(std430, set = 0, binding = 2) writeonly buffer Traj { float traj[]; };      // (N, F, S) recorded states
layout(std430, set = 0, binding = 3) writeonly buffer Energy { float energies[]; }; // (N, F) total energy

layout(push_constant) uniform Push {
    uint envs;        // environments in this dispatch
    uint stateBase;   // offset of env 0 in states (elements)
    uint scaleBase;   // offset of env 0 in scales
    uint trajBase;    // offset of (env 0, frame 0) in traj
    uint energyBase;  // offset of (env 0, frame 0) in energies
    uint frames;      // F: frames per environment in traj/energies
    uint localFrame;  // frame index (in traj) of the incoming state; step k writes localFrame + k
    uint firstStep;   // global step index of the first step: its time is firstStep·dt
    uint steps;       // steps in this dispatch
    float dt;
    float p0, p1, p2, p3, p4, p5;  // system parameters (see physics_systems.glsl), rods unscaled
} pc;

// Lane i of the invocation's four environments holds environment first + i; lanes past the batch's
// end compute on zeros and are never written.
void recordLane(uint env, uint frame, float q0, float q1, float v0, float v1, float e) {
    uint t = pc.trajBase + (env * pc.frames + frame) * S;
    traj[t] = q0;
    if (S == 2u) {
        traj[t + 1u] = v0;
    } else {
        traj[t + 1u] = q1;
        traj[t + 2u] = v0;
        traj[t + 3u] = v1;
    }
    energies[pc.energyBase + env * pc.frames + frame] = e;
}

void record(uint first, uint frame, Params P, mat2x4 q, mat2x4 v) {
    vec4 e = energy(P, q, v);
    for (uint i = 0u; i < LANES; i++)
        if (first + i < pc.envs) recordLane(first + i, frame, q[0][i], q[1][i], v[0][i], v[1][i], e[i]);
}

void main() {
    uint first = gl_GlobalInvocationID.x * LANES;
    if (first >= pc.envs) return;

    mat2x4 q = mat2x4(0.0), v = mat2x4(0.0);
    vec4 scale = vec4(1.0);
    for (uint i = 0u; i < LANES; i++) {
        if (first + i >= pc.envs) break;
        uint s = pc.stateBase + (first + i) * S;
        scale[i] = scales[pc.scaleBase + first + i];
        if (S == 2u) { q[0][i] = states[s]; v[0][i] = states[s + 1u]; }
        else { q[0][i] = states[s]; q[1][i] = states[s + 1u]; v[0][i] = states[s + 2u]; v[1][i] = states[s + 3u]; }
    }
    // Rods scaled per environment: the pendulum's length, the double pendulum's l1 and l2.
    Params P = Params(pc.p0 * scale, SYSTEM == 0u ? vec4(pc.p1) : pc.p1 * scale, pc.p2, pc.p3, pc.p4, pc.p5);

    if (RECORD) record(first, pc.localFrame, P, q, v);
    for (uint k = 0u; k < pc.steps; k++) {
        float t = float(pc.firstStep + k) * pc.dt;   // exact step index, no accumulated time error
        integratorStep(P, q, v, t, pc.dt);
        if (RECORD) record(first, pc.localFrame + k + 1u, P, q, v);
    }

    for (uint i = 0u; i < LANES; i++) {
        if (first + i >= pc.envs) break;
        uint s = pc.stateBase + (first + i) * S;
        states[s] = q[0][i];
        if (S == 2u) { states[s + 1u] = v[0][i]; }
        else { states[s + 1u] = q[1][i]; states[s + 2u] = v[0][i]; states[s + 3u] = v[1][i]; }
    }
}
