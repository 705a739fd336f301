// The dynamics of the reference physics (WeJepa.Simulation.Reference.PendulumDynamics and
// DoublePendulumDynamics) in float32, for four environments at once: column k of q (mat2x4) holds
// generalised coordinate k of the four, v = q̇. The simple pendulum uses only column 0: q = (θ, 0),
// v = (ω, 0). SYSTEM and DRIVEN are specialisation constants of the including shader, P the system's
// parameters. Trigonometry through trig.glsl; the double pendulum derives all six of its sines and
// cosines from sin/cos of θ1 and Δ = θ1 − θ2.

const float TWO_PI = 6.283185307179586;

// Pendulum:        P = (length, mass, gravity, damping, drive amplitude, drive frequency)
// Double pendulum: P = (l1, l2, m1, m2, gravity, damping)
// p0 and p1 (the rod lengths) are per environment: each has its own length factor.
struct Params { vec4 p0, p1; float p2, p3, p4, p5; };

// a = q̈(q, v, t)
mat2x4 accelerations(Params P, mat2x4 q, mat2x4 v, float t) {
    if (SYSTEM == 0u) {
        vec4 L = P.p0;
        float g = P.p2, damping = P.p3, amplitude = P.p4, frequency = P.p5;
        vec4 a = -(g / L) * sin32(q[0]) - damping * v[0];
        if (DRIVEN) a += amplitude * cos(TWO_PI * frequency * t);
        return mat2x4(a, vec4(0.0));
    }
    vec4 L1 = P.p0, L2 = P.p1;
    float M1 = P.p2, M2 = P.p3, g = P.p4, damping = P.p5;
    vec4 t1 = q[0], t2 = q[1], w1 = v[0], w2 = v[1];
    vec4 sinD, cosD, sin1, cos1;
    sinCos32(t1 - t2, sinD, cosD);
    sinCos32(t1, sin1, cos1);
    vec4 sin2D = 2.0 * sinD * cosD, cos2D = 1.0 - 2.0 * sinD * sinD;
    vec4 sin12 = sin2D * cos1 - cos2D * sin1;       // sin(θ1 − 2θ2) = sin(2Δ − θ1)
    vec4 den = 2.0 * M1 + M2 - M2 * cos2D;
    vec4 a1 = (-g * (2.0 * M1 + M2) * sin1 - M2 * g * sin12
               - 2.0 * sinD * M2 * (w2 * w2 * L2 + w1 * w1 * L1 * cosD)) / (L1 * den) - damping * w1;
    vec4 a2 = 2.0 * sinD * (w1 * w1 * L1 * (M1 + M2) + g * (M1 + M2) * cos1 + w2 * w2 * L2 * M2 * cosD)
              / (L2 * den) - damping * w2;
    return mat2x4(a1, a2);
}

// Total mechanical energy T + V (zero potential with the rods hanging straight down).
vec4 energy(Params P, mat2x4 q, mat2x4 v) {
    if (SYSTEM == 0u) {
        vec4 L = P.p0;
        float m = P.p1.x, g = P.p2;
        return 0.5 * m * L * L * v[0] * v[0] + m * g * L * (1.0 - cos32(q[0]));
    }
    vec4 L1 = P.p0, L2 = P.p1;
    float M1 = P.p2, M2 = P.p3, g = P.p4;
    vec4 t1 = q[0], t2 = q[1], w1 = v[0], w2 = v[1];
    vec4 kinetic = 0.5 * (M1 + M2) * L1 * L1 * w1 * w1 + 0.5 * M2 * L2 * L2 * w2 * w2
                   + M2 * L1 * L2 * w1 * w2 * cos32(t1 - t2);
    vec4 potential = (M1 + M2) * g * L1 * (1.0 - cos32(t1)) + M2 * g * L2 * (1.0 - cos32(t2));
    return kinetic + potential;
}
