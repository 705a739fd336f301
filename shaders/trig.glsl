// sin and cos in float32 from one reduction modulo π and two short polynomials, on vec4 (four
// environments at a time). Why not the built-ins: lavapipe expands each sin/cos into ~40 vector
// instructions (octant reduction, two polynomials, selects, NaN fix-ups); these take ~15 for sin and
// ~20 for both, within 2 ulps of the true value for |x| ≤ 10^5 (physics.comp's tests compare against
// the double-precision reference).
//   x = j·π + r, r ∈ [−π/2, π/2]: sin x = (−1)^j sin r, cos x = (−1)^j cos r.
// π is split in two floats (PI_HI + PI_LO) and the products are fused, so r carries no extra rounding.

const float PI_HI = 3.14159274101257324;      // float(π)
const float PI_LO = -8.74227766e-8;           // π − PI_HI
const float INV_PI = 0.318309886183790672;

// Minimax on [−π/2, π/2]: sin r ≈ r + r³·S(r²) (relative error 6e-9), cos r ≈ 1 + r²·C(r²) (absolute 2.4e-10).
vec4 sinPoly(vec4 r, vec4 r2) {
    vec4 s = fma(r2, vec4(2.6057798550027655e-06), vec4(-0.00019809602235909551));
    s = fma(r2, s, vec4(0.00833306647837162));
    s = fma(r2, s, vec4(-0.16666659712791443));
    return fma(r * r2, s, r);
}
vec4 cosPoly(vec4 r2) {
    vec4 c = fma(r2, vec4(-2.607709745916509e-07), vec4(2.4761886379565112e-05));
    c = fma(r2, c, vec4(-0.00138884037733078));
    c = fma(r2, c, vec4(0.04166664183139801));
    c = fma(r2, c, vec4(-0.5));
    return fma(r2, c, vec4(1.0));
}

// r = x − j·π, and (−1)^j as a sign-bit mask.
vec4 reducePi(vec4 x, out uvec4 sign) {
    vec4 j = roundEven(x * INV_PI);
    sign = uvec4(ivec4(j)) << 31;
    return fma(-j, vec4(PI_LO), fma(-j, vec4(PI_HI), x));
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
