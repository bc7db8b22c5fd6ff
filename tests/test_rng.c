/*
 * Unit tests of sim/rng: ccsim's xoshiro256** generator type and the seeding scheme.
 *
 * Golden values. The generator is pinned against values published with the algorithms, not
 * against its own output: splitmix64 from state 0 (Steele, Lea and Flood 2014; Vigna's
 * splitmix64.c) gives 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f,
 * 0xf88bb8a8724c81ec, and xoshiro256** from state {1, 2, 3, 4} (Blackman and Vigna's reference
 * xoshiro256starstar.c, as used by rand_xoshiro's tests) gives 11520, 0, 1509978240,
 * 1215971899390074240, ... . A transcription of the published algorithms below then checks
 * rng_create() and rng_seed_derive() for arbitrary seeds.
 *
 * Statistical checks use n = 10^6 draws and thresholds far in the tails (5 standard errors, or a
 * p-value below 10^-4), so a correct generator fails them for roughly one seed in 10^4 while a
 * biased one (a stuck bit, a wrong scaling, a short period) fails by a wide margin. The seeds are
 * fixed, so the tests are deterministic.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "tests/support.h"

/* ---- Reference transcriptions of the published algorithms ---- */

#define REF_GOLDEN UINT64_C(0x9e3779b97f4a7c15)

/* MurmurHash3's fmix64 (Appleby, MurmurHash3.cpp). */
static uint64_t ref_fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= UINT64_C(0xff51afd7ed558ccd);
    k ^= k >> 33;
    k *= UINT64_C(0xc4ceb9fe1a85ec53);
    k ^= k >> 33;
    return k;
}

/* splitmix64.c (Vigna): next() on state x. */
static uint64_t ref_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += REF_GOLDEN);

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t ref_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256starstar.c (Blackman and Vigna): next() on state s. */
static uint64_t ref_xoshiro(uint64_t s[4])
{
    uint64_t result = ref_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ref_rotl(s[3], 45);
    return result;
}

/* ---- Golden values ---- */

static void test_rng_seeding_matches_published_splitmix64(void **state)
{
    /* Published first outputs of splitmix64 from state 0. */
    const uint64_t expected[4] = {UINT64_C(0xe220a8397b1dcdaf), UINT64_C(0x6e789e6aa1b965f4),
                                  UINT64_C(0x06c45d188009454f), UINT64_C(0xf88bb8a8724c81ec)};
    struct rng_sub sub;

    (void)state;
    rng_sub_init(&sub, 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(sub.state[i], expected[i]);
    }
    /* The transcription agrees with the published values, so it may stand in for them below. */
    uint64_t x = 0;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ref_splitmix64(&x), expected[i]);
    }
}

static void test_rng_output_matches_published_xoshiro256starstar(void **state)
{
    /* Published outputs of xoshiro256** from the state {1, 2, 3, 4}. */
    const uint64_t expected[10] = {UINT64_C(11520),
                                   UINT64_C(0),
                                   UINT64_C(1509978240),
                                   UINT64_C(1215971899390074240),
                                   UINT64_C(1216172134540287360),
                                   UINT64_C(607988272756665600),
                                   UINT64_C(16172922978634559625),
                                   UINT64_C(8476171486693032832),
                                   UINT64_C(10595114339597558777),
                                   UINT64_C(2904607092377533576)};
    struct rng_sub a, b;
    uint64_t s[4] = {1, 2, 3, 4};

    (void)state;
    for (int i = 0; i < 10; i++) {
        assert_int_equal(ref_xoshiro(s), expected[i]);
    }
    /* GSL's integer interface gets the top 32 bits, its double interface the top 53 bits. */
    rng_sub_init(&a, 1);
    rng_sub_init(&b, 1);
    for (int i = 0; i < 4; i++) {
        a.state[i] = (uint64_t)i + 1;
        b.state[i] = (uint64_t)i + 1;
    }
    for (int i = 0; i < 10; i++) {
        assert_int_equal(gsl_rng_get(&a.r), expected[i] >> 32);
        double u = gsl_rng_uniform(&b.r);
        assert_true(u == (double)(expected[i] >> 11) * 0x1.0p-53);
    }
}

static void test_rng_create_matches_reference_for_any_64_bit_seed(void **state)
{
    const uint64_t seeds[] = {
        0,         1, 42, UINT64_C(0xffffffff), UINT64_C(0x100000000), UINT64_C(0x123456789abcdef0),
        UINT64_MAX};

    (void)state;
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        uint64_t x = seeds[k], s[4];
        for (int i = 0; i < 4; i++) {
            s[i] = ref_splitmix64(&x);
        }
        gsl_rng *r = rng_create(seeds[k]);
        struct rng_sub sub;
        rng_sub_init(&sub, seeds[k]);
        for (int i = 0; i < 1000; i++) {
            uint64_t v = ref_xoshiro(s);
            double want = (double)(v >> 11) * 0x1.0p-53;
            assert_true(gsl_rng_uniform(r) == want);
            assert_true(gsl_rng_uniform(&sub.r) == want);
        }
        gsl_rng_free(r);
    }
}

/* rng_first_uniform() is the first uniform of a substream so seeded, for any seed. */
static void test_rng_first_uniform_is_the_substream_first_draw(void **state)
{
    const uint64_t seeds[] = {
        0,         1, 42, UINT64_C(0xffffffff), UINT64_C(0x100000000), UINT64_C(0x123456789abcdef0),
        UINT64_MAX};
    struct rng_sub sub;

    (void)state;
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        rng_sub_init(&sub, seeds[k]);
        assert_true(rng_first_uniform(seeds[k]) == gsl_rng_uniform(&sub.r));
    }
    for (uint64_t key = 0; key < 100000; key++) {
        uint64_t seed = rng_seed_derive(2026, 3, STREAM_CLIENT_CARE, key * UINT64_C(0x100000001));
        rng_sub_init(&sub, seed);
        assert_true(rng_first_uniform(seed) == gsl_rng_uniform(&sub.r));
        /* And GSL's exponential sampler on that substream, to the last bit. */
        double mean = 0.5 + (double)(key % 7);
        rng_sub_init(&sub, seed);
        assert_true(rng_first_exponential(seed, mean) == gsl_ran_exponential(&sub.r, mean));
    }
}

static void test_rng_mix64_is_murmur3_fmix64(void **state)
{
    (void)state;
    /* fmix64 fixes 0. */
    assert_int_equal(rng_mix64(0), 0);
    uint64_t x = UINT64_C(0x0123456789abcdef);
    for (int i = 0; i < 10000; i++) {
        assert_int_equal(rng_mix64(x), ref_fmix64(x));
        x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    }
}

/* Full avalanche: flipping any one input bit flips each output bit with probability 1/2, so
 * the mean number of flipped bits over 64 x 2000 flips is 32 with standard error
 * sqrt(16 / 128000) = 0.011; allow 0.2. Each output bit flips with probability 1/2, standard
 * error sqrt(0.25 / 128000) = 0.0014 for the fraction; allow 0.02. */
static void test_rng_mix64_has_full_avalanche(void **state)
{
    uint64_t x = 12345;
    double total = 0;
    double per_bit[64] = {0};
    const int n_inputs = 2000;

    (void)state;
    for (int i = 0; i < n_inputs; i++) {
        x = rng_mix64(x + REF_GOLDEN); /* scattered inputs */
        uint64_t y = rng_mix64(x);
        for (int b = 0; b < 64; b++) {
            uint64_t d = y ^ rng_mix64(x ^ ((uint64_t)1 << b));
            total += __builtin_popcountll(d);
            for (int o = 0; o < 64; o++) {
                per_bit[o] += (double)((d >> o) & 1u);
            }
        }
    }
    double n = 64.0 * n_inputs;
    assert_close(total / n, 32.0, 0.0, 0.2);
    for (int o = 0; o < 64; o++) {
        assert_close(per_bit[o] / n, 0.5, 0.0, 0.02);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* A bijection cannot collide; 2^16 consecutive inputs give 2^16 distinct outputs. */
static void test_rng_mix64_has_no_collisions_on_consecutive_inputs(void **state)
{
    enum { N = 1 << 16 };
    uint64_t *v = malloc(N * sizeof *v);

    (void)state;
    assert_non_null(v);
    for (uint64_t i = 0; i < N; i++) {
        v[i] = rng_mix64(i);
    }
    qsort(v, N, sizeof *v, cmp_u64);
    for (size_t i = 1; i < N; i++) {
        assert_true(v[i] != v[i - 1]);
    }
    free(v);
}

/* ---- Seeding scheme ---- */

static void test_rng_seed_derive_follows_documented_scheme(void **state)
{
    (void)state;
    for (uint64_t seed = 0; seed < 5; seed++) {
        for (uint64_t rep = 0; rep < 4; rep++) {
            for (int stream = STREAM_ARRIVALS; stream <= STREAM_CLIENT_CARE; stream++) {
                uint64_t sc = seed * UINT64_C(1000003);
                uint64_t prefix = rng_seed_prefix(sc, rep, (enum stream_id)stream);
                for (uint64_t key = 0; key < 3; key++) {
                    uint64_t h0 = ref_fmix64(sc);
                    uint64_t h1 = ref_fmix64(h0 + REF_GOLDEN + rep);
                    uint64_t h2 = ref_fmix64(h1 + REF_GOLDEN + (uint64_t)stream);
                    uint64_t want = ref_fmix64(h2 + REF_GOLDEN + key);
                    assert_int_equal(rng_seed_derive(sc, rep, (enum stream_id)stream, key), want);
                    /* The two-step form used for a client's many decisions. */
                    assert_int_equal(rng_seed_from_prefix(prefix, key), want);
                }
            }
        }
    }
}

/* The stream numbers are append-only with explicit values: renumbering changes every result. */
static void test_rng_stream_ids_keep_their_values(void **state)
{
    (void)state;
    assert_int_equal(STREAM_ARRIVALS, 1);
    assert_int_equal(STREAM_SERVICE, 2);
    assert_int_equal(STREAM_ROUTING, 3);
    assert_int_equal(STREAM_PATIENCE, 4);
    assert_int_equal(STREAM_CLIENT, 5);
    assert_int_equal(STREAM_CLIENT_RISK, 6);
    assert_int_equal(STREAM_CLIENT_CARE, 7);
    assert_int_equal(STREAM_PARAMETER, 8);
}

/* A parameter's stream key is FNV-1a of its path: the published test vectors of the 64-bit
 * hash, then a path. */
static void test_rng_key_string_is_fnv1a(void **state)
{
    (void)state;
    assert_int_equal(rng_key_string(""), UINT64_C(0xcbf29ce484222325));
    assert_int_equal(rng_key_string("a"), UINT64_C(0xaf63dc4c8601ec8c));
    assert_int_equal(rng_key_string("foobar"), UINT64_C(0x85944171f73967e8));
    assert_true(rng_key_string("crisis_team.gatekeeping_or") !=
                rng_key_string("crisis_team.gatekeeping_OR"));
}

static void draw_n(uint64_t seed, double *out, int n)
{
    gsl_rng *r = rng_create(seed);

    for (int i = 0; i < n; i++) {
        out[i] = gsl_rng_uniform(r);
    }
    gsl_rng_free(r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Two sequences share no value at all: not equal, and not one a shifted copy of the other. */
static bool disjoint(const double *a, const double *b, int n)
{
    double *s = malloc(2 * (size_t)n * sizeof *s);

    assert_non_null(s);
    memcpy(s, a, (size_t)n * sizeof *s);
    memcpy(s + n, b, (size_t)n * sizeof *s);
    qsort(s, 2 * (size_t)n, sizeof *s, cmp_double);
    bool ok = true;
    for (int i = 1; i < 2 * n; i++) {
        if (s[i] == s[i - 1]) {
            ok = false;
        }
    }
    free(s);
    return ok;
}

static void test_rng_same_coordinates_give_identical_sequences(void **state)
{
    enum { N = 2000 };
    double a[N], b[N];

    (void)state;
    draw_n(rng_seed_derive(20240611, 3, STREAM_SERVICE, 2), a, N);
    draw_n(rng_seed_derive(20240611, 3, STREAM_SERVICE, 2), b, N);
    assert_memory_equal(a, b, sizeof a);
}

static void test_rng_different_coordinates_give_unrelated_sequences(void **state)
{
    enum { N = 2000 };
    static double base[N], other[N];
    const uint64_t seed = 20240611, rep = 3, key = 4;
    const enum stream_id stream = STREAM_SERVICE;
    /* Change one coordinate at a time, including swaps between coordinates. */
    const uint64_t variants[] = {
        rng_seed_derive(seed + 1, rep, stream, key),
        rng_seed_derive(seed, rep + 1, stream, key),
        rng_seed_derive(seed, rep, STREAM_ROUTING, key),
        rng_seed_derive(seed, rep, stream, key + 1),
        rng_seed_derive(seed, key, stream, rep),
        rng_seed_derive(seed, rep, (enum stream_id)key, (uint64_t)stream),
        rng_seed_derive(seed, rep, stream, key + ((uint64_t)1 << 40)),
    };

    (void)state;
    draw_n(rng_seed_derive(seed, rep, stream, key), base, N);
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        draw_n(variants[v], other, N);
        assert_true(disjoint(base, other, N));
    }
}

/* Seeds are 64 bits wide: seeds equal in their low 32 bits give different sequences. */
static void test_rng_seed_uses_all_64_bits(void **state)
{
    enum { N = 1000 };
    double a[N], b[N], c[N];

    (void)state;
    draw_n(UINT64_C(0x00000001deadbeef), a, N);
    draw_n(UINT64_C(0x00000002deadbeef), b, N);
    draw_n(UINT64_C(0x80000000deadbeef), c, N);
    assert_true(disjoint(a, b, N));
    assert_true(disjoint(a, c, N));
    assert_true(disjoint(b, c, N));
}

static void test_rng_reseed_reproduces_the_sequence(void **state)
{
    enum { N = 500 };
    double first[N], again[N], fresh[N];
    gsl_rng *r = rng_create(1111);

    (void)state;
    for (int i = 0; i < N; i++) {
        first[i] = gsl_rng_uniform(r);
    }
    rng_reseed(r, 1111);
    for (int i = 0; i < N; i++) {
        again[i] = gsl_rng_uniform(r);
    }
    assert_memory_equal(first, again, sizeof first);

    /* Re-seeding mid-stream to another seed is the same as a new generator with that seed. */
    (void)gsl_rng_get(r);
    rng_reseed(r, 2222);
    draw_n(2222, fresh, N);
    for (int i = 0; i < N; i++) {
        assert_true(gsl_rng_uniform(r) == fresh[i]);
    }
    gsl_rng_free(r);
}

/* A client's substream depends on its key alone, not on how many other substreams exist or in
 * which order they were made and used. */
static void test_rng_substreams_do_not_depend_on_creation_order(void **state)
{
    enum { K = 64, N = 50 };
    static struct rng_sub fwd[K], rev[K];
    static double a[K][N], b[K][N];

    (void)state;
    for (int k = 0; k < K; k++) {
        rng_sub_init(&fwd[k], rng_seed_derive(5, 1, STREAM_CLIENT, (uint64_t)k));
    }
    /* Forward: each substream drawn out in turn. */
    for (int k = 0; k < K; k++) {
        for (int i = 0; i < N; i++) {
            a[k][i] = gsl_rng_uniform(&fwd[k].r);
        }
    }
    /* Reverse creation, draws interleaved across substreams. */
    for (int k = K - 1; k >= 0; k--) {
        rng_sub_init(&rev[k], rng_seed_derive(5, 1, STREAM_CLIENT, (uint64_t)k));
        assert_ptr_equal(rev[k].r.state, rev[k].state); /* carries its own state */
    }
    for (int i = 0; i < N; i++) {
        for (int k = (i * 7) % K, m = 0; m < K; m++, k = (k + 1) % K) {
            b[k][i] = gsl_rng_uniform(&rev[k].r);
        }
    }
    assert_memory_equal(a, b, sizeof a);
    /* And the substreams differ from one another. */
    for (int k = 1; k < K; k++) {
        assert_true(disjoint(a[0], a[k], N));
    }
}

/* ---- Statistical quality ---- */

/* Mean 1/2 and variance 1/12 of U(0, 1): with n = 10^6, the standard error of the mean is
 * sqrt(1/12 / n) = 2.9e-4 and that of the sample variance sqrt((mu4 - sigma^4) / n) with
 * mu4 = 1/80, i.e. 7.5e-5. Allow 5 standard errors. */
static void test_rng_uniform_mean_and_variance(void **state)
{
    const int n = 1000000;
    gsl_rng *r = rng_create(rng_seed_derive(1, 0, STREAM_ARRIVALS, 0));
    double sum = 0, sum2 = 0, lo = 1, hi = 0;

    (void)state;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        sum += u;
        sum2 += (u - 0.5) * (u - 0.5);
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
    }
    double mean = sum / n;
    double var = sum2 / n - (mean - 0.5) * (mean - 0.5);
    assert_close(mean, 0.5, 0.0, 5 * sqrt(1.0 / 12 / n));
    assert_close(var, 1.0 / 12, 0.0, 5 * sqrt((1.0 / 80 - 1.0 / 144) / n));
    /* Range [0, 1), and the extremes of 10^6 draws lie within about 10^-5 of the ends. */
    assert_true(lo >= 0.0 && hi < 1.0);
    assert_true(lo < 1e-4 && hi > 1 - 1e-4);
    gsl_rng_free(r);
}

/* Pearson's chi-square over 100 equal bins of 10^6 draws (df = 99). A p-value below 10^-4 means
 * a bad fit; above 1 - 10^-4, a fit too good to be random. */
static void test_rng_uniform_passes_chi_square(void **state)
{
    enum { BINS = 100 };
    const int n = 1000000;
    double count[BINS] = {0};
    gsl_rng *r = rng_create(rng_seed_derive(2, 0, STREAM_SERVICE, 0));

    (void)state;
    for (int i = 0; i < n; i++) {
        count[(int)(gsl_rng_uniform(r) * BINS)]++;
    }
    double e = (double)n / BINS, x2 = 0;
    for (int b = 0; b < BINS; b++) {
        x2 += (count[b] - e) * (count[b] - e) / e;
    }
    double p = gsl_cdf_chisq_Q(x2, BINS - 1);
    assert_inside(p, 1e-4, 1 - 1e-4);
    gsl_rng_free(r);
}

/* GSL's integer interface: the high and the low bits of gsl_rng_get() are each uniform. Chi-square
 * over 16 values of the top 4 and of the bottom 4 bits (df = 15). */
static void test_rng_integer_output_bits_are_uniform(void **state)
{
    const int n = 1000000;
    double top[16] = {0}, bottom[16] = {0};
    gsl_rng *r = rng_create(77);
    unsigned long max = gsl_rng_max(r);

    (void)state;
    assert_int_equal(gsl_rng_min(r), 0);
    assert_int_equal(max, 0xffffffffUL);
    for (int i = 0; i < n; i++) {
        unsigned long v = gsl_rng_get(r);
        assert_true(v <= max);
        top[v >> 28]++;
        bottom[v & 15u]++;
    }
    double e = n / 16.0, x2t = 0, x2b = 0;
    for (int b = 0; b < 16; b++) {
        x2t += (top[b] - e) * (top[b] - e) / e;
        x2b += (bottom[b] - e) * (bottom[b] - e) / e;
    }
    assert_inside(gsl_cdf_chisq_Q(x2t, 15), 1e-4, 1 - 1e-4);
    assert_inside(gsl_cdf_chisq_Q(x2b, 15), 1e-4, 1 - 1e-4);
    gsl_rng_free(r);
}

/* Kolmogorov-Smirnov against U(0, 1) on 10^5 draws: sqrt(n) D_n < 1.95 has probability 0.999
 * under the null (the asymptotic Kolmogorov distribution). */
static void test_rng_uniform_passes_kolmogorov_smirnov(void **state)
{
    enum { N = 100000 };
    double *u = malloc(N * sizeof *u);

    (void)state;
    assert_non_null(u);
    draw_n(rng_seed_derive(3, 7, STREAM_PATIENCE, 1), u, N);
    qsort(u, N, sizeof *u, cmp_double);
    double d = 0;
    for (int i = 0; i < N; i++) {
        double above = (double)(i + 1) / N - u[i], below = u[i] - (double)i / N;
        d = fmax(d, fmax(above, below));
    }
    assert_true(sqrt((double)N) * d < 1.95);
    free(u);
}

/* Correlation between successive draws of one stream, and between the same positions of two
 * neighbouring streams (keys k and k + 1, where a weak seed mixer would show). Under
 * independence each sample correlation has standard error 1/sqrt(n); allow 5. */
static void test_rng_draws_and_neighbouring_streams_are_uncorrelated(void **state)
{
    const int n = 200000;
    gsl_rng *a = rng_create(rng_seed_derive(9, 0, STREAM_CLIENT, 1000));
    gsl_rng *b = rng_create(rng_seed_derive(9, 0, STREAM_CLIENT, 1001));
    double lag = 0, cross = 0, prev = gsl_rng_uniform(a) - 0.5;

    (void)state;
    (void)gsl_rng_uniform(b);
    for (int i = 0; i < n; i++) {
        double x = gsl_rng_uniform(a) - 0.5, y = gsl_rng_uniform(b) - 0.5;
        lag += prev * x;
        cross += x * y;
        prev = x;
    }
    /* Var(U) = 1/12, so the correlation is 12 * mean product. */
    double tol = 5 / sqrt((double)n);
    assert_close(12 * lag / n, 0.0, 0.0, tol);
    assert_close(12 * cross / n, 0.0, 0.0, tol);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_rng_uniform_pos_is_never_zero(void **state)
{
    struct rng_sub sub;

    (void)state;
    rng_sub_init(&sub, 31337);
    for (int i = 0; i < 100000; i++) {
        double u = gsl_rng_uniform_pos(&sub.r);
        assert_true(u > 0.0 && u < 1.0);
    }
    /* uniform_int covers all of a small range. */
    int seen[7] = {0};
    for (int i = 0; i < 1000; i++) {
        seen[gsl_rng_uniform_int(&sub.r, 7)]++;
    }
    for (int i = 0; i < 7; i++) {
        assert_true(seen[i] > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_seeding_matches_published_splitmix64),
        cmocka_unit_test(test_rng_output_matches_published_xoshiro256starstar),
        cmocka_unit_test(test_rng_create_matches_reference_for_any_64_bit_seed),
        cmocka_unit_test(test_rng_first_uniform_is_the_substream_first_draw),
        cmocka_unit_test(test_rng_mix64_is_murmur3_fmix64),
        cmocka_unit_test(test_rng_mix64_has_full_avalanche),
        cmocka_unit_test(test_rng_mix64_has_no_collisions_on_consecutive_inputs),
        cmocka_unit_test(test_rng_seed_derive_follows_documented_scheme),
        cmocka_unit_test(test_rng_stream_ids_keep_their_values),
        cmocka_unit_test(test_rng_key_string_is_fnv1a),
        cmocka_unit_test(test_rng_same_coordinates_give_identical_sequences),
        cmocka_unit_test(test_rng_different_coordinates_give_unrelated_sequences),
        cmocka_unit_test(test_rng_seed_uses_all_64_bits),
        cmocka_unit_test(test_rng_reseed_reproduces_the_sequence),
        cmocka_unit_test(test_rng_substreams_do_not_depend_on_creation_order),
        cmocka_unit_test(test_rng_uniform_mean_and_variance),
        cmocka_unit_test(test_rng_uniform_passes_chi_square),
        cmocka_unit_test(test_rng_integer_output_bits_are_uniform),
        cmocka_unit_test(test_rng_uniform_passes_kolmogorov_smirnov),
        cmocka_unit_test(test_rng_draws_and_neighbouring_streams_are_uncorrelated),
        cmocka_unit_test(test_rng_uniform_pos_is_never_zero),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
