// sin and cos in float32 from one reduction modulo π and two short polynomials, on vec4 (four
// environments at a time). Why not the built-ins: lavapipe expands each sin/cos into ~40 vector
// instructions (octant reduction, two polynomials, selects, NaN fix-ups); these take ~15 for sin and
// ~20 for both, within 2 ulps of the true value for |x| ≤ 10^5 (physics.comp's tests compare against
// the double-precision reference).
//   x = j·π + r, r ∈ [−π/2, π/2]: sin x = (−1)^j sin r, cos x = (−1)^j cos r.
// r by a three-part Cody–Waite split π = PI_A + PI_B + PI_C: PI_A has 8 significant bits and PI_B 9, so
// j·PI_A and j·PI_B are exact for |j| < 2^15 (|x| ≤ 10^5) and r loses nothing to the cancellation.
// Not fma(): lavapipe lowers it to a multiply and an add (NIR's lower_ffma), so nothing here is fused.

const float PI_A = 3.140625;
const float PI_B = 0.0009670257568359375;
const float PI_C = 6.278329465203569e-07;     // π − PI_A − PI_B, rounded (error 1.1e-14)
const float INV_PI = 0.318309886183790672;

// Minimax on [−π/2, π/2]: sin r ≈ r + r³·S(r²) (relative error 6e-9), cos r ≈ 1 + r²·C(r²) (absolute 2.4e-10).
vec4 sinPoly(vec4 r, vec4 r2) {
    vec4 s = r2 * 2.6057798550027655e-06 - 0.00019809602235909551;
    s = r2 * s + 0.00833306647837162;
    s = r2 * s - 0.16666659712791443;
    return (r * r2) * s + r;
}
vec4 cosPoly(vec4 r2) {
    vec4 c = r2 * -2.607709745916509e-07 + 2.4761886379565112e-05;
    c = r2 * c - 0.00138884037733078;
    c = r2 * c + 0.04166664183139801;
    c = r2 * c - 0.5;
    return r2 * c + 1.0;
}

// r = x − j·π, and (−1)^j as a sign-bit mask.
vec4 reducePi(vec4 x, out uvec4 sign) {
    vec4 j = roundEven(x * INV_PI);
    sign = uvec4(ivec4(j)) << 31;
    return ((x - j * PI_A) - j * PI_B) - j * PI_C;
}

vec4 sin32(vec4 x) {
    uvec4 sign;
    vec4 r = reducePi(x, sign);
    return uintBitsToFloat(floatBitsToUint(sinPoly(r, r * r)) ^ sign);
}

vec4 cos32(vec4 x) {
    uvec4 sign;
    vec4 r = reducePi(x, sign);
    return uintBitsToFloat(floatBitsToUint(cosPoly(r * r)) ^ sign);
}

// sin x and cos x with one reduction.
void sinCos32(vec4 x, out vec4 s, out vec4 c) {
    uvec4 sign;
    vec4 r = reducePi(x, sign);
    vec4 r2 = r * r;
    s = uintBitsToFloat(floatBitsToUint(sinPoly(r, r2)) ^ sign);
    c = uintBitsToFloat(floatBitsToUint(cosPoly(r2)) ^ sign);
}
