/* Math for stb_truetype without libm (fmath.h): range reduction and short
 * series, accurate to about 1e-12 over the ranges a rasteriser uses. */
#include "fmath.h"

#include <stdint.h>

#define PI  3.14159265358979323846
#define LN2 0.69314718055994530942

double fmath_floor(double x)
{
	if (x >= 9.007199254740992e15 || x <= -9.007199254740992e15)
		return x; /* already an integer */
	double t = (double)(int64_t)x;
	return t > x ? t - 1 : t;
}

double fmath_ceil(double x)
{
	return -fmath_floor(-x);
}

double fmath_fabs(double x)
{
	return x < 0 ? -x : x;
}

double fmath_sqrt(double x)
{
	if (!(x > 0))
		return 0;
	/* a first guess from the exponent, then Newton's iteration */
	double g = 1;
	for (double y = x; y > 4; y /= 4)
		g *= 2;
	for (double y = x; y < 0.25; y *= 4)
		g /= 2;
	for (int i = 0; i < 8; i++)
		g = 0.5 * (g + x / g);
	return g;
}

double fmath_fmod(double x, double y)
{
	double q = x / y;
	double t = q < 0 ? -fmath_floor(-q) : fmath_floor(q);
	return x - y * t;
}

double fmath_exp(double x)
{
	/* e^x = 2^k * e^r, |r| <= ln2 / 2 */
	int k = (int)fmath_floor(x / LN2 + 0.5);
	double r = x - k * LN2, term = 1, sum = 1;
	for (int i = 1; i < 20; i++) {
		term *= r / i;
		sum += term;
	}
	for (; k > 0; k--)
		sum *= 2;
	for (; k < 0; k++)
		sum /= 2;
	return sum;
}

double fmath_log(double x)
{
	if (!(x > 0))
		return 0;
	/* x = m * 2^k with m in [0.75, 1.5); log m = 2 atanh((m-1)/(m+1)) */
	int k = 0;
	for (; x >= 1.5; x /= 2)
		k++;
	for (; x < 0.75; x *= 2)
		k--;
	double s = (x - 1) / (x + 1), s2 = s * s, term = s, sum = 0;
	for (int i = 1; i < 40; i += 2) {
		sum += term / i;
		term *= s2;
	}
	return 2 * sum + k * LN2;
}

double fmath_pow(double x, double y)
{
	if (x == 0)
		return y > 0 ? 0 : 1;
	if (x < 0)
		return 0;
	return fmath_exp(y * fmath_log(x));
}

double fmath_cos(double x)
{
	x = fmath_fmod(x, 2 * PI);
	if (x > PI)
		x -= 2 * PI;
	if (x < -PI)
		x += 2 * PI;
	double x2 = x * x, term = 1, sum = 1;
	for (int i = 2; i < 40; i += 2) {
		term *= -x2 / ((i - 1) * i);
		sum += term;
	}
	return sum;
}

/* atan(t) for t >= 0: halve the angle twice, then the series. */
static double atan_pos(double t)
{
	if (t > 1)
		return PI / 2 - atan_pos(1 / t);
	for (int i = 0; i < 2; i++)
		t = t / (1 + fmath_sqrt(1 + t * t));
	double t2 = t * t, term = t, sum = 0;
	for (int i = 1; i < 40; i += 2) {
		sum += term / i;
		term *= -t2;
	}
	return 4 * sum;
}

double fmath_acos(double x)
{
	if (x >= 1)
		return 0;
	if (x <= -1)
		return PI;
	/* acos x = 2 atan(sqrt((1 - x) / (1 + x))) */
	return 2 * atan_pos(fmath_sqrt((1 - x) / (1 + x)));
}
