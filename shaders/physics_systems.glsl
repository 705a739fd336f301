// The dynamics of the reference physics (WeJepa.Simulation.Reference.PendulumDynamics and
// DoublePendulumDynamics) in float32. q are the generalised coordinates, v = q̇; the simple pendulum
// uses only the x components: q = (θ, 0), v = (ω, 0). SYSTEM and DRIVEN are specialisation constants
// of the including shader, P the system's parameters.

const float TWO_PI = 6.283185307179586;

// Pendulum:        P = (length, mass, gravity, damping, drive amplitude, drive frequency)
// Double pendulum: P = (l1, l2, m1, m2, gravity, damping)
struct Params { float p0, p1, p2, p3, p4, p5; };

// a = q̈(q, v, t)
vec2 accelerations(Params P, vec2 q, vec2 v, float t) {
    if (SYSTEM == 0u) {
        float L = P.p0, g = P.p2, damping = P.p3, amplitude = P.p4, frequency = P.p5;
        float a = -(g / L) * sin(q.x) - damping * v.x;
        if (DRIVEN) a += amplitude * cos(TWO_PI * frequency * t);
        return vec2(a, 0.0);
    }
    float L1 = P.p0, L2 = P.p1, M1 = P.p2, M2 = P.p3, g = P.p4, damping = P.p5;
    float t1 = q.x, t2 = q.y, w1 = v.x, w2 = v.y;
    float delta = t1 - t2;
    float sinD = sin(delta), cosD = cos(delta);
    float den = 2.0 * M1 + M2 - M2 * cos(2.0 * delta);
    float a1 = (-g * (2.0 * M1 + M2) * sin(t1) - M2 * g * sin(t1 - 2.0 * t2)
                - 2.0 * sinD * M2 * (w2 * w2 * L2 + w1 * w1 * L1 * cosD)) / (L1 * den) - damping * w1;
    float a2 = 2.0 * sinD * (w1 * w1 * L1 * (M1 + M2) + g * (M1 + M2) * cos(t1) + w2 * w2 * L2 * M2 * cosD)
               / (L2 * den) - damping * w2;
    return vec2(a1, a2);
}

// Total mechanical energy T + V (zero potential with the rods hanging straight down).
float energy(Params P, vec2 q, vec2 v) {
    if (SYSTEM == 0u) {
        float L = P.p0, m = P.p1, g = P.p2;
        return 0.5 * m * L * L * v.x * v.x + m * g * L * (1.0 - cos(q.x));
    }
    float L1 = P.p0, L2 = P.p1, M1 = P.p2, M2 = P.p3, g = P.p4;
    float t1 = q.x, t2 = q.y, w1 = v.x, w2 = v.y;
    float kinetic = 0.5 * (M1 + M2) * L1 * L1 * w1 * w1 + 0.5 * M2 * L2 * L2 * w2 * w2
                    + M2 * L1 * L2 * w1 * w2 * cos(t1 - t2);
    float potential = (M1 + M2) * g * L1 * (1.0 - cos(t1)) + M2 * g * L2 * (1.0 - cos(t2));
    return kinetic + potential;
}
