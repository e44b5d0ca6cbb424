/* The few math functions stb_truetype needs, for freestanding builds (no
 * libm in user space): double precision, finite arguments. */
#ifndef LIB_FONT_FMATH_H
#define LIB_FONT_FMATH_H

double fmath_floor(double x);
double fmath_ceil(double x);
double fmath_fabs(double x);
/* x >= 0; NaN-free: a negative x gives 0. */
double fmath_sqrt(double x);
/* x - y * trunc(x / y); y != 0. */
double fmath_fmod(double x, double y);
/* e^x and the natural logarithm (x > 0; else 0). */
double fmath_exp(double x);
double fmath_log(double x);
/* x^y for x > 0 (0 for x == 0, y > 0); stb only takes cube roots. */
double fmath_pow(double x, double y);
double fmath_cos(double x);
/* x in [-1, 1] (clamped). */
double fmath_acos(double x);

#endif
