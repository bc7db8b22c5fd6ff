#include "sim/rng.h"

#include <math.h>
#include <string.h>

#include "sim/fail.h"

#define GOLDEN RNG_GOLDEN

uint64_t rng_seed_prefix(uint64_t scenario_seed, uint64_t replication, enum stream_id stream)
{
    uint64_t h = rng_mix64(scenario_seed);

    h = rng_mix64(h + GOLDEN + replication);
    return rng_mix64(h + GOLDEN + (uint64_t)stream);
}

uint64_t rng_seed_derive(uint64_t scenario_seed, uint64_t replication, enum stream_id stream,
                         uint64_t key)
{
    return rng_seed_from_prefix(rng_seed_prefix(scenario_seed, replication, stream), key);
}

/* splitmix64 (Steele, Lea and Flood, 2014): the seeding generator recommended for xoshiro. */
static uint64_t splitmix64_next(uint64_t *x)
{
    uint64_t z = (*x += GOLDEN);

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro_next(uint64_t *s)
{
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void xoshiro_set(void *vstate, unsigned long seed)
{
    uint64_t *s = vstate;
    uint64_t x = (uint64_t)seed;

    for (int i = 0; i < 4; i++) {
        s[i] = splitmix64_next(&x);
    }
    /* splitmix64 is a bijection on distinct counters, so four zeros cannot occur; keep the
     * belief checked because an all-zero state would emit zeros forever. */
    SIM_ASSERT(s[0] | s[1] | s[2] | s[3], "rng: all-zero xoshiro state");
}

/* GSL's integer interface promises values in [min, max]; the top 32 bits are the best ones. */
static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(xoshiro_next(vstate) >> 32);
}

/* 53 random bits scaled to [0, 1). GSL's samplers that need (0, 1) call gsl_rng_uniform_pos,
 * which rejects the zero. */
static double xoshiro_get_double(void *vstate)
{
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    .name = "ccsim-xoshiro256**",
    .max = 0xffffffffUL,
    .min = 0,
    .size = 4 * sizeof(uint64_t),
    .set = xoshiro_set,
    .get = xoshiro_get,
    .get_double = xoshiro_get_double,
};

const gsl_rng_type *const rng_xoshiro256 = &xoshiro_type;

gsl_rng *rng_create(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256);

    SIM_ASSERT(r != NULL, "rng: out of memory");
    gsl_rng_set(r, (unsigned long)seed);
    return r;
}

void rng_reseed(gsl_rng *r, uint64_t seed)
{
    SIM_ASSERT(r->type == rng_xoshiro256, "rng: reseed of a foreign generator");
    gsl_rng_set(r, (unsigned long)seed);
}

double rng_first_uniform(uint64_t seed)
{
    uint64_t x = seed + GOLDEN; /* splitmix64's first output fills s[0], unread here */
    uint64_t s1 = splitmix64_next(&x);

    return (double)((rotl(s1 * 5, 7) * 9) >> 11) * 0x1.0p-53;
}

uint64_t rng_key_string(const char *name)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a offset basis */

    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h = (h ^ *p) * UINT64_C(1099511628211); /* FNV prime */
    }
    return h;
}

double rng_first_exponential(uint64_t seed, double mean)
{
    return -mean * log1p(-rng_first_uniform(seed));
}

void rng_sub_init(struct rng_sub *sub, uint64_t seed)
{
    sub->r.type = rng_xoshiro256;
    sub->r.state = sub->state;
    xoshiro_set(sub->state, (unsigned long)seed);
}
