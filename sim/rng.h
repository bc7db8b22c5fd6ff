/*
 * rng — every random number in ccsim comes from here.
 *
 * Generator. ccsim's own GSL generator type, xoshiro256** (Blackman and Vigna, 2018): 32 bytes
 * of state, period 2^256 - 1, seeded from a full 64-bit value through splitmix64. It is a
 * gsl_rng_type, so every gsl_ran_* and gsl_cdf_* works on it unchanged. Its output is pinned by
 * golden values in tests/test_rng.c; changing it changes every published result.
 *
 * Seeding scheme. A generator is never seeded by hand. Its 64-bit seed is derived as
 *
 *     h0 = fmix64(scenario_seed)
 *     h1 = fmix64(h0 + GOLDEN + replication)
 *     h2 = fmix64(h1 + GOLDEN + stream)
 *     seed = fmix64(h2 + GOLDEN + key)
 *
 * where fmix64 is MurmurHash3's 64-bit finaliser and GOLDEN = 0x9e3779b97f4a7c15. `stream` is
 * a purpose from enum stream_id; `key` separates instances of one purpose: the station index
 * for service times, the source index for arrivals, the client's arrival index for a client's
 * own substream (common random numbers: the n-th client of replication r sees the same numbers
 * in every scenario of a comparison). Thread ids, completion order and the clock never enter.
 *
 * Substreams. struct rng_sub embeds the generator state, so a client can own its stream
 * without any allocation; rng_sub_init() is O(1).
 *
 * enum stream_id is append-only with explicit values: renumbering changes every result.
 */
#ifndef CCSIM_SIM_RNG_H
#define CCSIM_SIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

enum stream_id {
    STREAM_ARRIVALS = 1,    /* interarrival times, key = arrival source */
    STREAM_SERVICE = 2,     /* service times, key = station */
    STREAM_ROUTING = 3,     /* routing decisions, key = station */
    STREAM_PATIENCE = 4,    /* abandonment patience, key = station */
    STREAM_CLIENT = 5,      /* a client's own substream, key = client arrival index */
    STREAM_CLIENT_RISK = 6, /* a client's risk process (care model), key = client index */
    STREAM_CLIENT_CARE = 7, /* a client's contacts and care (care model), key = client index */
    STREAM_PARAMETER = 8,   /* a parameter's draws (ccsim psa): replication = draw, key =
                             * rng_key_string() of the key's dotted path */
};

/* ccsim's generator type (xoshiro256**, 64-bit seed). */
extern const gsl_rng_type *const rng_xoshiro256;

#define RNG_GOLDEN UINT64_C(0x9e3779b97f4a7c15)

/* MurmurHash3's 64-bit finaliser: a bijection with full avalanche. */
static inline uint64_t rng_mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

/* The derived seed for (scenario seed, replication, stream, key); see the scheme above. */
uint64_t rng_seed_derive(uint64_t scenario_seed, uint64_t replication, enum stream_id stream,
                         uint64_t key);

/* The same seed in two steps, for a caller that derives many keys of one stream: h2 of the
 * scheme once (rng_seed_prefix), then one mix a key (rng_seed_from_prefix). rng_seed_derive(s,
 * r, stream, key) == rng_seed_from_prefix(rng_seed_prefix(s, r, stream), key). */
uint64_t rng_seed_prefix(uint64_t scenario_seed, uint64_t replication, enum stream_id stream);

static inline uint64_t rng_seed_from_prefix(uint64_t prefix, uint64_t key)
{
    return rng_mix64(prefix + RNG_GOLDEN + key);
}

/* A stream key for a name (a parameter's dotted path): FNV-1a, 64 bits, of its bytes. The same
 * name gives the same key on every platform, whatever else is drawn. */
uint64_t rng_key_string(const char *name);

/* Allocates a generator of ccsim's type seeded with seed. Free with gsl_rng_free(). */
gsl_rng *rng_create(uint64_t seed);

/* Re-seeds r (which must be of ccsim's type) in place. O(1), no allocation. */
void rng_reseed(gsl_rng *r, uint64_t seed);

/* A generator that carries its own state: embed it in a struct, no allocation. Use &sub->r with
 * any gsl_ran_* function. A struct rng_sub must not be copied after rng_sub_init(): r.state
 * points into it. */
struct rng_sub {
    gsl_rng r;
    uint64_t state[4];
};

void rng_sub_init(struct rng_sub *sub, uint64_t seed);

/* The first uniform in [0, 1) of a generator seeded with seed: exactly what rng_sub_init()
 * then gsl_rng_uniform() return, at a third of the cost (xoshiro256**'s first output reads
 * only the second word of its state, so the other three are never computed). For a decision
 * that draws one number from a substream of its own. */
double rng_first_uniform(uint64_t seed);

/* The first exponential draw of mean `mean` of a generator seeded with seed: exactly what
 * gsl_ran_exponential() returns on it (-mean log(1 - u) of the first uniform u). */
double rng_first_exponential(uint64_t seed, double mean);

#endif
