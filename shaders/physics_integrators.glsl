// One fixed step of each integrator of WeJepa.Simulation.Reference.Integrators, in float32 and in the
// same order of operations, on four environments (mat2x4 columns: see physics_systems.glsl). Needs
// accelerations() from physics_systems.glsl.

// Classic RK4 on y' = [v; a(q, v, t)].
void rk4(Params P, inout mat2x4 q, inout mat2x4 v, float t, float dt) {
    mat2x4 k1q = v;
    mat2x4 k1v = accelerations(P, q, v, t);
    mat2x4 k2q = v + 0.5 * dt * k1v;
    mat2x4 k2v = accelerations(P, q + 0.5 * dt * k1q, k2q, t + 0.5 * dt);
    mat2x4 k3q = v + 0.5 * dt * k2v;
    mat2x4 k3v = accelerations(P, q + 0.5 * dt * k2q, k3q, t + 0.5 * dt);
    mat2x4 k4q = v + dt * k3v;
    mat2x4 k4v = accelerations(P, q + dt * k3q, k4q, t + dt);
    q += dt / 6.0 * (k1q + 2.0 * k2q + 2.0 * k3q + k4q);
    v += dt / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
}

// Leapfrog, kick-drift-kick (the host refuses velocity-dependent systems, as the reference does).
void leapfrog(Params P, inout mat2x4 q, inout mat2x4 v, float t, float dt) {
    v += 0.5 * dt * accelerations(P, q, v, t);
    q += dt * v;
    v += 0.5 * dt * accelerations(P, q, v, t + dt);
}

// Semi-implicit Euler: velocity first, then the position with the new velocity.
void semiImplicitEuler(Params P, inout mat2x4 q, inout mat2x4 v, float t, float dt) {
    v += dt * accelerations(P, q, v, t);
    q += dt * v;
}

void integratorStep(Params P, inout mat2x4 q, inout mat2x4 v, float t, float dt) {
    if (INTEGRATOR == 0u) rk4(P, q, v, t, dt);
    else if (INTEGRATOR == 1u) leapfrog(P, q, v, t, dt);
    else semiImplicitEuler(P, q, v, t, dt);
}
