#version 450
#extension GL_GOOGLE_include_directive : require
// Batched pendulum physics: one invocation per environment, `steps` fixed timesteps per dispatch,
// float32. A port of WeJepa.Simulation.Reference (tested against it). Bindings may be windows of
// bigger buffers (the host splits batches at maxStorageBufferRange): the *Base push constants are
// element offsets of this dispatch's first environment inside each binding.

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint SYSTEM = 0u;      // 0 = pendulum (S = 2), 1 = double pendulum (S = 4)
layout(constant_id = 2) const uint INTEGRATOR = 0u;  // 0 = RK4, 1 = leapfrog, 2 = semi-implicit Euler
layout(constant_id = 3) const bool RECORD = true;    // write every frame's state and energy, else only the final state
layout(constant_id = 4) const bool DRIVEN = true;    // false when the drive amplitude is 0: skips a cos per force evaluation

#include "physics_systems.glsl"
#include "physics_integrators.glsl"

const uint S = SYSTEM == 0u ? 2u : 4u;

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

void record(uint env, uint frame, Params P, vec2 q, vec2 v) {
    uint t = pc.trajBase + (env * pc.frames + frame) * S;
    traj[t] = q.x;
    if (S == 2u) {
        traj[t + 1u] = v.x;
    } else {
        traj[t + 1u] = q.y;
        traj[t + 2u] = v.x;
        traj[t + 3u] = v.y;
    }
    energies[pc.energyBase + env * pc.frames + frame] = energy(P, q, v);
}

void main() {
    uint env = gl_GlobalInvocationID.x;
    if (env >= pc.envs) return;

    float scale = scales[pc.scaleBase + env];
    Params P = Params(pc.p0, pc.p1, pc.p2, pc.p3, pc.p4, pc.p5);
    if (SYSTEM == 0u) P.p0 *= scale;                 // pendulum: length
    else { P.p0 *= scale; P.p1 *= scale; }           // double: l1, l2

    uint s = pc.stateBase + env * S;
    vec2 q, v;
    if (S == 2u) { q = vec2(states[s], 0.0); v = vec2(states[s + 1u], 0.0); }
    else { q = vec2(states[s], states[s + 1u]); v = vec2(states[s + 2u], states[s + 3u]); }

    if (RECORD) record(env, pc.localFrame, P, q, v);
    for (uint k = 0u; k < pc.steps; k++) {
        float t = float(pc.firstStep + k) * pc.dt;   // exact step index, no accumulated time error
        integratorStep(P, q, v, t, pc.dt);
        if (RECORD) record(env, pc.localFrame + k + 1u, P, q, v);
    }

    states[s] = q.x;
    if (S == 2u) { states[s + 1u] = v.x; }
    else { states[s + 1u] = q.y; states[s + 2u] = v.x; states[s + 3u] = v.y; }
}
