#include "models/netq.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"
#include "sim/fail.h"
#include "sim/pool.h"
#include "sim/queue.h"
#include "sim/rng.h"
#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/tally.h"
#include "sim/xalloc.h"

/* ---- loaded parameters (immutable, shared by threads) ------------------------------------- */

#define EXIT_STATION (-1)

struct nq_station {
    char *name;
    int servers;
    bool has_schedule;
    struct schedule schedule;
    struct dist service;
    long capacity; /* 0 = unlimited */
    enum queue_discipline discipline;
    bool has_patience;
    struct dist patience;
    int n_routes;
    int *route_to;     /* station index or EXIT_STATION */
    double *route_cum; /* cumulative probabilities, last == 1 */
};

struct nq_source {
    char *name; /* NULL when unnamed */
    int to;
    double priority;
    struct dist interarrival;
};

/* ---- scenario keys ------------------------------------------------------------------------ */

static const struct cfg_key root_keys[] = {
    {.name = "network",
     .type = CFG_GROUP,
     .is_required = true,
     .help = "the queueing network: arrival streams and stations"},
};

static const struct cfg_table netq_root_table = {
    .path = "",
    .help = "keys of a network scenario",
    .keys = root_keys,
    .n_keys = 1,
};

enum { N_ARRIVALS, N_STATIONS };
static const struct cfg_key network_keys[] = {
    [N_ARRIVALS] = {.name = "arrivals",
                    .type = CFG_LIST,
                    .is_required = true,
                    .help = "open arrival streams, at least one"},
    [N_STATIONS] = {.name = "stations",
                    .type = CFG_LIST,
                    .is_required = true,
                    .help = "the stations, at least one"},
};

const struct cfg_table netq_network_table = {
    .path = "network",
    .help = "an open queueing network",
    .keys = network_keys,
    .n_keys = 2,
};

enum { A_TO, A_INTERARRIVAL, A_PRIORITY, A_NAME };
static const struct cfg_key arrival_keys[] = {
    [A_TO] = {.name = "to",
              .type = CFG_STRING,
              .is_required = true,
              .help = "name of the station the stream feeds"},
    [A_INTERARRIVAL] = {.name = "interarrival",
                        .type = CFG_GROUP,
                        .is_required = true,
                        .unit = "time units",
                        .help = "distribution of the time between arrivals"},
    [A_PRIORITY] = {.name = "priority",
                    .type = CFG_REAL,
                    .lo = -HUGE_VAL,
                    .hi = HUGE_VAL,
                    .def = 0.0,
                    .help = "priority of its customers at priority stations (lower is served "
                            "first)",
                    CFG_TARGET_REAL(struct nq_source, priority)},
    [A_NAME] = {.name = "name",
                .type = CFG_STRING,
                .help = "optional class name; adds NAME.sojourn and NAME.throughput (entry to "
                        "exit) for this stream's customers"},
};

const struct cfg_table netq_arrival_table = {
    .path = "network.arrivals[]",
    .help = "an open arrival stream",
    .keys = arrival_keys,
    .n_keys = 4,
};

static const char *const discipline_names[] = {"fifo", "priority", NULL};
/* discipline is read as a choice index straight into enum queue_discipline. */
_Static_assert(QUEUE_FIFO == 0 && QUEUE_PRIORITY == 1, "discipline_names order");

enum { S_NAME, S_SERVERS, S_SCHEDULE, S_SERVICE, S_CAPACITY, S_DISCIPLINE, S_PATIENCE, S_ROUTING };
static const struct cfg_key station_keys[] = {
    [S_NAME] = {.name = "name",
                .type = CFG_STRING,
                .is_required = true,
                .help = "unique station name (letters, digits, '_' and '-')"},
    [S_SERVERS] = {.name = "servers",
                   .type = CFG_INT,
                   .lo = 1,
                   .hi = 1000000,
                   .def = 1,
                   .help = "servers on duty (ignored when a schedule is given)"},
    [S_SCHEDULE] = {.name = "schedule",
                    .type = CFG_GROUP,
                    .help = "servers on duty over a repeating cycle, instead of servers"},
    [S_SERVICE] = {.name = "service",
                   .type = CFG_GROUP,
                   .is_required = true,
                   .unit = "time units",
                   .help = "service-time distribution"},
    [S_CAPACITY] = {.name = "capacity",
                    .type = CFG_INT,
                    .lo = 0,
                    .hi = 1e9,
                    .def = 0,
                    .help = "most customers in the station, in service included; 0 = unlimited",
                    CFG_TARGET_LONG(struct nq_station, capacity)},
    [S_DISCIPLINE] = {.name = "discipline",
                      .type = CFG_CHOICE,
                      .choices = discipline_names,
                      .def_str = "fifo",
                      .help = "queue discipline",
                      CFG_TARGET_CHOICE(struct nq_station, discipline)},
    [S_PATIENCE] = {.name = "patience",
                    .type = CFG_GROUP,
                    .unit = "time units",
                    .help = "distribution of how long a customer waits before abandoning"},
    [S_ROUTING] = {.name = "routing",
                   .type = CFG_LIST,
                   .help = "where customers go after service; default: all to \"exit\""},
};

const struct cfg_table netq_station_table = {
    .path = "network.stations[]",
    .help = "a station: servers, service, queue and routing",
    .keys = station_keys,
    .n_keys = sizeof station_keys / sizeof station_keys[0],
};

enum { R_TO, R_P };
static const struct cfg_key route_keys[] = {
    [R_TO] = {.name = "to",
              .type = CFG_STRING,
              .is_required = true,
              .help = "a station name or \"exit\""},
    [R_P] = {.name = "p",
             .type = CFG_REAL,
             .is_required = true,
             .lo = 0.0,
             .hi = 1.0,
             .help = "probability of this route; a station's routes sum to 1"},
};

const struct cfg_table netq_route_table = {
    .path = "network.stations[].routing[]",
    .help = "one route out of a station",
    .keys = route_keys,
    .n_keys = 2,
};

enum station_metric {
    M_WAIT,
    M_SOJOURN,
    M_QUEUE_LENGTH,
    M_IN_SYSTEM,
    M_UTILISATION,
    M_BLOCKED,
    M_THROUGHPUT,
    M_ABANDONED,
    N_STATION_METRICS,
};

/* What each kind of metric is: its name after the station's, unit, words and better direction.
 * Every netq metric is a headline outcome (the network model has no secondary ones). */
struct nq_metric_kind {
    const char *name;
    const char *unit;
    const char *label;
    enum metric_better better;
};

static const struct nq_metric_kind station_kinds[N_STATION_METRICS] = {
    [M_WAIT] = {"wait", "time units", "mean wait in queue", METRIC_LOWER_BETTER},
    [M_SOJOURN] = {"sojourn", "time units", "mean time in station", METRIC_LOWER_BETTER},
    [M_QUEUE_LENGTH] = {"queue_length", "customers", "mean queue length", METRIC_LOWER_BETTER},
    [M_IN_SYSTEM] = {"in_system", "customers", "mean customers in station", METRIC_LOWER_BETTER},
    [M_UTILISATION] = {"utilisation", "share", "server utilisation", METRIC_NEITHER},
    [M_BLOCKED] = {"blocked", "share", "share of arrivals refused", METRIC_LOWER_BETTER},
    [M_THROUGHPUT] = {"throughput", "per time unit", "service completions per time unit",
                      METRIC_HIGHER_BETTER},
    [M_ABANDONED] = {"abandoned", "share", "share of arrivals that abandoned", METRIC_LOWER_BETTER},
};

enum { SYS_SOJOURN, SYS_IN_SYSTEM, SYS_THROUGHPUT, N_SYSTEM_METRICS };
enum { CLASS_SOJOURN, CLASS_THROUGHPUT, N_CLASS_METRICS };
static const struct nq_metric_kind system_kinds[N_SYSTEM_METRICS] = {
    [SYS_SOJOURN] = {"sojourn", "time units", "mean time from entry to exit", METRIC_LOWER_BETTER},
    [SYS_IN_SYSTEM] = {"in_system", "customers", "mean customers in the network",
                       METRIC_LOWER_BETTER},
    [SYS_THROUGHPUT] = {"throughput", "per time unit", "exits per time unit", METRIC_HIGHER_BETTER},
};
static const struct nq_metric_kind class_kinds[N_CLASS_METRICS] = {
    [CLASS_SOJOURN] = {"sojourn", "time units", "mean time from entry to exit",
                       METRIC_LOWER_BETTER},
    [CLASS_THROUGHPUT] = {"throughput", "per time unit", "exits per time unit",
                          METRIC_HIGHER_BETTER},
};

struct nq_params {
    int n_stations;
    struct nq_station *st;
    int n_sources;
    struct nq_source *src;
    int n_metrics;
    struct metric_desc *metric; /* name and label owned (allocated at load) */
    int *metric_station;        /* station of metric i, -1 for system, -2 - s for stream s */
    int *metric_kind;           /* enum station_metric, or the system metric */
};

static void params_destroy(void *vp)
{
    struct nq_params *p = vp;

    if (!p) {
        return;
    }
    for (int i = 0; i < p->n_stations; i++) {
        struct nq_station *s = &p->st[i];
        free(s->name);
        schedule_fini(&s->schedule);
        dist_fini(&s->service);
        dist_fini(&s->patience);
        free(s->route_to);
        free(s->route_cum);
    }
    for (int i = 0; i < p->n_sources; i++) {
        dist_fini(&p->src[i].interarrival);
        free(p->src[i].name);
    }
    for (int i = 0; i < p->n_metrics; i++) {
        free((char *)p->metric[i].name);
        free((char *)p->metric[i].label);
    }
    free(p->metric);
    free(p->metric_station);
    free(p->metric_kind);
    free(p->st);
    free(p->src);
    free(p);
}

static int find_station(const struct nq_params *p, const char *name)
{
    for (int i = 0; i < p->n_stations; i++) {
        if (p->st[i].name && strcmp(p->st[i].name, name) == 0) {
            return i;
        }
    }
    return -2;
}

/* "desk, triage or \"exit\"" — the names a reference may use. */
static void station_names(const struct nq_params *p, char *buf, size_t n, bool with_exit)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int i = 0; i < p->n_stations && len < n; i++) {
        if (p->st[i].name) {
            int w = snprintf(buf + len, n - len, "%s\"%s\"", len ? ", " : "", p->st[i].name);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    if (with_exit && len < n) {
        snprintf(buf + len, n - len, "%s\"exit\"", len ? " or " : "");
    }
}

static bool valid_name(const char *s)
{
    if (!*s || strcmp(s, "exit") == 0 || strcmp(s, "system") == 0) {
        return false;
    }
    for (; *s; s++) {
        if (!(*s == '_' || *s == '-' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9'))) {
            return false;
        }
    }
    return true;
}

static bool load_station(struct cfg *c, const config_setting_t *s, struct nq_params *p, int idx)
{
    struct nq_station *st = &p->st[idx];
    const char *name = NULL;
    const config_setting_t *g = NULL;
    long long v;
    bool ok = cfg_check_keys(c, s, &netq_station_table);

    if (cfg_get_string(c, s, &station_keys[S_NAME], &name)) {
        const config_setting_t *ns = config_setting_get_member(s, "name");
        if (!valid_name(name)) {
            cfg_error(c, ns,
                      "\"%s\" is not a usable station name (letters, digits, '_' and '-'; "
                      "not \"exit\" or \"system\")",
                      name);
            ok = false;
        } else if (find_station(p, name) >= 0) {
            cfg_error(c, ns, "a station named \"%s\" exists already (unique names)", name);
            ok = false;
        } else {
            st->name = xstrdup(name);
        }
    } else {
        ok = false;
    }
    /* servers is read (and its default filled in) only without a schedule. */
    bool has_servers = config_setting_get_member(s, "servers") != NULL;
    bool has_schedule = config_setting_get_member(s, "schedule") != NULL;
    if (!has_schedule || has_servers) {
        if (cfg_get_int(c, s, &station_keys[S_SERVERS], &v)) {
            st->servers = (int)v;
        } else {
            ok = false;
        }
    }
    if (cfg_get_group(c, s, &station_keys[S_SCHEDULE], &g) && g) {
        if (has_servers) {
            cfg_error(c, config_setting_get_member(s, "servers"),
                      "given together with a schedule (one or the other)");
            ok = false;
        }
        if (schedule_load(c, g, 0, 1000000, &st->schedule)) {
            st->has_schedule = true;
            int most = 0;
            for (int i = 0; i < st->schedule.n; i++) {
                most = st->schedule.value[i] > most ? st->schedule.value[i] : most;
            }
            if (most == 0) {
                cfg_error(c, g, "no servers at any time (at least one value above 0)");
                ok = false;
            }
            st->servers = most;
        } else {
            ok = false;
        }
    } else if (g == NULL && config_setting_get_member(s, "schedule")) {
        ok = false;
    }
    if (cfg_get_group(c, s, &station_keys[S_SERVICE], &g)) {
        ok &= dist_load(c, g, &st->service);
    } else {
        ok = false;
    }
    /* capacity and discipline after servers, whose default joins the resolved scenario first. */
    ok &= cfg_read_targets(c, s, &netq_station_table, st);
    if (st->capacity > 0 && st->capacity < st->servers) {
        cfg_error(c, config_setting_get_member(s, "capacity"),
                  "%ld is below the %d servers (0 for unlimited, or at least the servers)",
                  st->capacity, st->servers);
        ok = false;
    }
    g = NULL;
    if (cfg_get_group(c, s, &station_keys[S_PATIENCE], &g)) {
        if (g) {
            st->has_patience = dist_load(c, g, &st->patience);
            ok &= st->has_patience;
        }
    } else {
        ok = false;
    }
    return ok;
}

/* Second pass, once every station name is known: routes by name. */
static bool load_routing(struct cfg *c, const config_setting_t *s, struct nq_params *p, int idx)
{
    struct nq_station *st = &p->st[idx];
    const config_setting_t *list = NULL;
    bool ok = true;

    if (!cfg_get_list(c, s, &station_keys[S_ROUTING], &list)) {
        return false;
    }
    if (!list) {
        st->n_routes = 1;
        st->route_to = xcalloc(1, sizeof *st->route_to);
        st->route_cum = xcalloc(1, sizeof *st->route_cum);
        st->route_to[0] = EXIT_STATION;
        st->route_cum[0] = 1.0;
        return true;
    }
    int n = config_setting_length(list);
    if (n == 0) {
        cfg_error(c, list, "no routes (at least one, e.g. { to = \"exit\"; p = 1.0; })");
        return false;
    }
    st->n_routes = n;
    st->route_to = xcalloc((size_t)n, sizeof *st->route_to);
    st->route_cum = xcalloc((size_t)n, sizeof *st->route_cum);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *r =
            cfg_elem_group(c, list, i, "a route (a group { to = \"name\"; p = 0.5; })");
        const char *to = NULL;
        double prob = 0.0;
        if (!r) {
            ok = false;
            continue;
        }
        ok &= cfg_check_keys(c, r, &netq_route_table);
        if (cfg_get_string(c, r, &route_keys[R_TO], &to)) {
            if (strcmp(to, "exit") == 0) {
                st->route_to[i] = EXIT_STATION;
            } else if ((st->route_to[i] = find_station(p, to)) < 0) {
                char names[512];
                station_names(p, names, sizeof names, true);
                cfg_error(c, config_setting_get_member(r, "to"), "no station named \"%s\" (%s)", to,
                          names);
                ok = false;
            }
        } else {
            ok = false;
        }
        if (cfg_get_real(c, r, &route_keys[R_P], &prob)) {
            sum += prob;
            st->route_cum[i] = sum;
        } else {
            ok = false;
        }
    }
    if (ok && fabs(sum - 1.0) > 1e-6) {
        cfg_error(c, list, "route probabilities sum to %.9g (they must sum to 1)", sum);
        ok = false;
    }
    if (ok) {
        for (int i = 0; i < n; i++) {
            st->route_cum[i] /= sum;
        }
        st->route_cum[n - 1] = 1.0;
    }
    return ok;
}

static bool load_source(struct cfg *c, const config_setting_t *s, struct nq_params *p, int idx)
{
    struct nq_source *src = &p->src[idx];
    const char *to = NULL;
    const config_setting_t *g;
    bool ok;

    if (!config_setting_is_group(s)) {
        cfg_error(c, s, "not an arrival stream (a group { to = \"name\"; interarrival = {...}; })");
        return false;
    }
    ok = cfg_check_keys(c, s, &netq_arrival_table);
    if (cfg_get_string(c, s, &arrival_keys[A_TO], &to)) {
        if ((src->to = find_station(p, to)) < 0) {
            char names[512];
            station_names(p, names, sizeof names, false);
            cfg_error(c, config_setting_get_member(s, "to"), "no station named \"%s\" (%s)", to,
                      names);
            ok = false;
        }
    } else {
        ok = false;
    }
    if (cfg_get_group(c, s, &arrival_keys[A_INTERARRIVAL], &g)) {
        ok &= dist_load(c, g, &src->interarrival);
    } else {
        ok = false;
    }
    ok &= cfg_read_targets(c, s, &netq_arrival_table, src); /* priority */
    const char *name = NULL;
    if (cfg_get_string(c, s, &arrival_keys[A_NAME], &name) && name) {
        const config_setting_t *ns = config_setting_get_member(s, "name");
        bool taken = find_station(p, name) >= 0;
        for (int i = 0; i < idx && !taken; i++) {
            taken = p->src[i].name && strcmp(p->src[i].name, name) == 0;
        }
        if (!valid_name(name)) {
            cfg_error(c, ns,
                      "\"%s\" is not a usable class name (letters, digits, '_' and '-'; "
                      "not \"exit\" or \"system\")",
                      name);
            ok = false;
        } else if (taken) {
            cfg_error(c, ns, "\"%s\" names a station or another stream already (unique names)",
                      name);
            ok = false;
        } else {
            src->name = xstrdup(name);
        }
    } else if (config_setting_get_member(s, "name") && !name) {
        ok = false;
    }
    return ok;
}

static char *join(const char *a, const char *sep, const char *b)
{
    size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
    char *s = xmalloc(n);

    snprintf(s, n, "%s%s%s", a, sep, b);
    return s;
}

static void add_metric(struct nq_params *p, int station, int kind, const char *prefix,
                       const struct nq_metric_kind *d)
{
    p->metric[p->n_metrics] = (struct metric_desc){
        .name = join(prefix, ".", d->name),
        .unit = d->unit,
        .label = join(prefix, ": ", d->label),
        .is_headline = true,
        .better = d->better,
    };
    p->metric_station[p->n_metrics] = station;
    p->metric_kind[p->n_metrics] = kind;
    p->n_metrics++;
}

static void build_metrics(struct nq_params *p)
{
    size_t most = (size_t)p->n_stations * N_STATION_METRICS + N_SYSTEM_METRICS +
                  (size_t)p->n_sources * N_CLASS_METRICS;

    p->metric = xcalloc(most, sizeof *p->metric);
    p->metric_station = xcalloc(most, sizeof *p->metric_station);
    p->metric_kind = xcalloc(most, sizeof *p->metric_kind);
    for (int s = 0; s < p->n_stations; s++) {
        for (int k = 0; k < N_STATION_METRICS; k++) {
            if (k == M_ABANDONED && !p->st[s].has_patience) {
                continue;
            }
            add_metric(p, s, k, p->st[s].name, &station_kinds[k]);
        }
    }
    for (int k = 0; k < N_SYSTEM_METRICS; k++) {
        add_metric(p, -1, k, "system", &system_kinds[k]);
    }
    for (int i = 0; i < p->n_sources; i++) {
        for (int k = 0; p->src[i].name && k < N_CLASS_METRICS; k++) {
            add_metric(p, -2 - i, k, p->src[i].name, &class_kinds[k]);
        }
    }
}

static void *netq_load(struct cfg *c, const config_setting_t *root)
{
    const config_setting_t *net = NULL, *arrivals = NULL, *stations = NULL;
    bool ok = true;

    if (!cfg_get_group(c, root, &root_keys[0], &net) || !net) {
        return NULL;
    }
    ok &= cfg_check_keys(c, net, &netq_network_table);
    ok &= cfg_get_list(c, net, &network_keys[N_STATIONS], &stations);
    ok &= cfg_get_list(c, net, &network_keys[N_ARRIVALS], &arrivals);
    if (!stations || !arrivals) {
        return NULL;
    }
    struct nq_params *p = xcalloc(1, sizeof *p);
    p->n_stations = config_setting_length(stations);
    p->n_sources = config_setting_length(arrivals);
    if (p->n_stations == 0) {
        cfg_error(c, stations, "no stations (at least one)");
        ok = false;
    }
    if (p->n_sources == 0) {
        cfg_error(c, arrivals, "no arrival streams (at least one)");
        ok = false;
    }
    p->st = xcalloc((size_t)p->n_stations + 1, sizeof *p->st);
    p->src = xcalloc((size_t)p->n_sources + 1, sizeof *p->src);

    for (int i = 0; i < p->n_stations; i++) {
        const config_setting_t *s = cfg_elem_group(
            c, stations, i, "a station (a group { name = \"...\"; service = {...}; ... })");
        ok &= s && load_station(c, s, p, i);
    }
    for (int i = 0; i < p->n_stations; i++) {
        const config_setting_t *s = config_setting_get_elem(stations, (unsigned)i);
        if (config_setting_is_group(s)) {
            ok &= load_routing(c, s, p, i);
        }
    }
    for (int i = 0; i < p->n_sources; i++) {
        ok &= load_source(c, config_setting_get_elem(arrivals, (unsigned)i), p, i);
    }
    if (!ok || cfg_n_problems(c) > 0) {
        params_destroy(p);
        return NULL;
    }
    build_metrics(p);
    return p;
}

static int netq_n_metrics(const void *vp)
{
    return ((const struct nq_params *)vp)->n_metrics;
}

static const struct metric_desc *netq_metric(const void *vp, int i)
{
    return &((const struct nq_params *)vp)->metric[i];
}

/* ---- one replication ---------------------------------------------------------------------- */

#define NO_CUSTOMER UINT32_MAX

struct nq_customer {
    double t_system;  /* entered the network */
    double t_station; /* entered the current station */
    double priority;
    int station;
    int source;
    uint32_t next_free;
    uint64_t queue_handle; /* while waiting */
    uint64_t renege_ev;    /* pending abandonment, while waiting */
};

struct nq_run;

struct nq_station_rt {
    struct nq_run *run;
    int index;
    struct pool pool;
    struct queue queue;
    long in_station;
    struct twavg in_station_tw;
    struct tally wait;
    struct tally sojourn;
    uint64_t arrivals, blocked, completions, abandoned;
    gsl_rng *service_rng;
    gsl_rng *routing_rng;
    gsl_rng *patience_rng;
};

struct nq_run {
    const struct nq_params *p;
    struct sim sim;
    struct nq_station_rt *st;
    gsl_rng **arrival_rng;
    struct nq_customer *cust;
    uint32_t n_cust_cap;
    uint32_t free_head;
    uint32_t n_live;
    struct twavg in_network_tw;
    struct tally network_sojourn;
    uint64_t exits;
    struct tally *class_sojourn; /* per source */
    bool failed;
    char *err;
    size_t err_len;
};

static void grow_customers(struct nq_run *run)
{
    uint32_t old = run->n_cust_cap;
    uint32_t cap = old ? old * 2 : 1024;

    run->cust = xreallocarray(run->cust, cap, sizeof *run->cust);
    for (uint32_t i = old; i < cap; i++) {
        run->cust[i].next_free = i + 1 < cap ? i + 1 : NO_CUSTOMER;
    }
    run->free_head = old;
    run->n_cust_cap = cap;
}

static uint32_t new_customer(struct nq_run *run)
{
    if (run->free_head == NO_CUSTOMER) {
        grow_customers(run);
    }
    uint32_t id = run->free_head;
    run->free_head = run->cust[id].next_free;
    run->n_live++;
    twavg_set(&run->in_network_tw, run->sim.now, run->n_live);
    return id;
}

static void free_customer(struct nq_run *run, uint32_t id)
{
    run->cust[id].next_free = run->free_head;
    run->free_head = id;
    run->n_live--;
    twavg_set(&run->in_network_tw, run->sim.now, run->n_live);
}

static void end_service(struct sim *sim, void *obj, uint64_t arg);
static void enter_station(struct nq_run *run, uint32_t id, int station);

static void start_service(struct nq_station_rt *srt, uint32_t id)
{
    struct nq_run *run = srt->run;
    const struct nq_station *st = &run->p->st[srt->index];
    double now = run->sim.now;

    pool_acquire(&srt->pool, now);
    tally_add(&srt->wait, now - run->cust[id].t_station);
    sim_schedule(&run->sim, dist_draw(&st->service, srt->service_rng), end_service, srt, id);
}

/* Starts waiting customers while servers are free. */
static void serve_waiting(struct nq_station_rt *srt)
{
    struct nq_run *run = srt->run;
    struct queue_entry e;

    while (pool_has_free(&srt->pool) && queue_pop(&srt->queue, run->sim.now, &e)) {
        uint32_t id = (uint32_t)e.item;
        sim_cancel(&run->sim, run->cust[id].renege_ev);
        start_service(srt, id);
    }
}

static void on_more_servers(struct sim *sim, void *owner)
{
    (void)sim;
    serve_waiting(owner);
}

static void leave_station(struct nq_station_rt *srt)
{
    srt->in_station--;
    twavg_set(&srt->in_station_tw, srt->run->sim.now, (double)srt->in_station);
}

static void renege(struct sim *sim, void *obj, uint64_t arg)
{
    struct nq_station_rt *srt = obj;
    struct nq_run *run = srt->run;
    uint32_t id = (uint32_t)arg;

    SIM_ASSERT(queue_remove(&srt->queue, sim->now, run->cust[id].queue_handle, NULL),
               "replication %u, t=%g: customer %u abandoned a queue it was not in",
               sim->replication, sim->now, id);
    srt->abandoned++;
    leave_station(srt);
    free_customer(run, id);
}

static void end_service(struct sim *sim, void *obj, uint64_t arg)
{
    struct nq_station_rt *srt = obj;
    struct nq_run *run = srt->run;
    const struct nq_station *st = &run->p->st[srt->index];
    uint32_t id = (uint32_t)arg;
    struct nq_customer *cu = &run->cust[id];

    pool_release(&srt->pool, sim->now);
    tally_add(&srt->sojourn, sim->now - cu->t_station);
    srt->completions++;
    leave_station(srt);

    int next = st->route_to[0];
    if (st->n_routes > 1) {
        double u = gsl_rng_uniform(srt->routing_rng);
        int r = 0;
        while (r < st->n_routes - 1 && u >= st->route_cum[r]) {
            r++;
        }
        next = st->route_to[r];
    }
    serve_waiting(srt);
    if (next == EXIT_STATION) {
        tally_add(&run->network_sojourn, sim->now - cu->t_system);
        tally_add(&run->class_sojourn[cu->source], sim->now - cu->t_system);
        run->exits++;
        free_customer(run, id);
    } else {
        enter_station(run, id, next);
    }
}

static void enter_station(struct nq_run *run, uint32_t id, int station)
{
    struct nq_station_rt *srt = &run->st[station];
    const struct nq_station *st = &run->p->st[station];
    struct nq_customer *cu = &run->cust[id];
    double now = run->sim.now;

    srt->arrivals++;
    if (st->capacity > 0 && srt->in_station >= st->capacity) {
        srt->blocked++;
        free_customer(run, id);
        return;
    }
    srt->in_station++;
    twavg_set(&srt->in_station_tw, now, (double)srt->in_station);
    cu->station = station;
    cu->t_station = now;
    cu->renege_ev = CALENDAR_NONE;
    if (pool_has_free(&srt->pool) && queue_length(&srt->queue) == 0) {
        start_service(srt, id);
        return;
    }
    cu->queue_handle = queue_push(&srt->queue, now, id, cu->priority);
    if (st->has_patience) {
        cu->renege_ev =
            sim_schedule(&run->sim, dist_draw(&st->patience, srt->patience_rng), renege, srt, id);
    }
}

static void arrival(struct sim *sim, void *obj, uint64_t arg)
{
    struct nq_run *run = obj;
    const struct nq_source *src = &run->p->src[arg];

    sim_schedule(sim, dist_draw(&src->interarrival, run->arrival_rng[arg]), arrival, run, arg);
    if (run->n_live >= NETQ_MAX_CUSTOMERS) {
        snprintf(run->err, run->err_len,
                 "replication %u, t=%g: more than %u customers in the network; a station is "
                 "unstable (arrivals faster than its servers can serve)",
                 sim->replication, sim->now, NETQ_MAX_CUSTOMERS);
        run->failed = true;
        sim_stop(sim);
        return;
    }
    uint32_t id = new_customer(run);
    run->cust[id].t_system = sim->now;
    run->cust[id].priority = src->priority;
    run->cust[id].source = (int)arg;
    enter_station(run, id, src->to);
}

static void reset_stats(struct nq_run *run)
{
    double now = run->sim.now;

    for (int i = 0; i < run->p->n_stations; i++) {
        struct nq_station_rt *srt = &run->st[i];
        pool_reset(&srt->pool, now);
        queue_reset(&srt->queue, now);
        twavg_reset(&srt->in_station_tw, now);
        tally_reset(&srt->wait);
        tally_reset(&srt->sojourn);
        srt->arrivals = srt->blocked = srt->completions = srt->abandoned = 0;
    }
    twavg_reset(&run->in_network_tw, now);
    tally_reset(&run->network_sojourn);
    for (int i = 0; i < run->p->n_sources; i++) {
        tally_reset(&run->class_sojourn[i]);
    }
    run->exits = 0;
}

static double ratio(uint64_t num, uint64_t den)
{
    return den ? (double)num / (double)den : NAN;
}

static void collect(const struct nq_run *run, double span, double *m)
{
    const struct nq_params *p = run->p;
    double now = run->sim.now;

    for (int i = 0; i < p->n_metrics; i++) {
        int k = p->metric_kind[i];
        if (p->metric_station[i] <= -2) {
            const struct tally *t = &run->class_sojourn[-2 - p->metric_station[i]];
            m[i] = k == CLASS_SOJOURN ? tally_mean(t) : (double)tally_count(t) / span;
            continue;
        }
        if (p->metric_station[i] < 0) {
            m[i] = k == SYS_SOJOURN     ? tally_mean(&run->network_sojourn)
                   : k == SYS_IN_SYSTEM ? twavg_mean(&run->in_network_tw, now)
                                        : (double)run->exits / span;
            continue;
        }
        const struct nq_station_rt *srt = &run->st[p->metric_station[i]];
        switch ((enum station_metric)k) {
        case M_WAIT:
            m[i] = tally_mean(&srt->wait);
            break;
        case M_SOJOURN:
            m[i] = tally_mean(&srt->sojourn);
            break;
        case M_QUEUE_LENGTH:
            m[i] = twavg_mean(&srt->queue.len_tw, now);
            break;
        case M_IN_SYSTEM:
            m[i] = twavg_mean(&srt->in_station_tw, now);
            break;
        case M_UTILISATION:
            m[i] = pool_utilisation(&srt->pool, now);
            break;
        case M_BLOCKED:
            m[i] = ratio(srt->blocked, srt->arrivals);
            break;
        case M_THROUGHPUT:
            m[i] = (double)srt->completions / span;
            break;
        case M_ABANDONED:
            m[i] = ratio(srt->abandoned, srt->arrivals);
            break;
        case N_STATION_METRICS:
            break;
        }
    }
}

static int netq_run(const void *vp, uint64_t seed, unsigned replication, double warmup,
                    double horizon, struct model_run *out)
{
    const struct nq_params *p = vp;
    struct nq_run run = {.p = p, .err = out->err, .err_len = sizeof out->err};

    sim_init(&run.sim, replication);
    run.st = xcalloc((size_t)p->n_stations, sizeof *run.st);
    run.arrival_rng = xcalloc((size_t)p->n_sources, sizeof *run.arrival_rng);
    run.class_sojourn = xcalloc((size_t)p->n_sources, sizeof *run.class_sojourn);
    run.free_head = NO_CUSTOMER;
    twavg_init(&run.in_network_tw, 0.0, 0.0);
    tally_init(&run.network_sojourn, 0, NULL);
    for (int i = 0; i < p->n_stations; i++) {
        struct nq_station_rt *srt = &run.st[i];
        const struct nq_station *st = &p->st[i];
        srt->run = &run;
        srt->index = i;
        pool_init(&srt->pool, &run.sim, st->servers, st->has_schedule ? &st->schedule : NULL,
                  on_more_servers, srt);
        queue_init(&srt->queue, st->discipline, 0, 0.0);
        twavg_init(&srt->in_station_tw, 0.0, 0.0);
        tally_init(&srt->wait, 0, NULL);
        tally_init(&srt->sojourn, 0, NULL);
        srt->service_rng = rng_create(rng_seed_derive(seed, replication, STREAM_SERVICE, i));
        srt->routing_rng = rng_create(rng_seed_derive(seed, replication, STREAM_ROUTING, i));
        srt->patience_rng = rng_create(rng_seed_derive(seed, replication, STREAM_PATIENCE, i));
    }
    for (int i = 0; i < p->n_sources; i++) {
        tally_init(&run.class_sojourn[i], 0, NULL);
        run.arrival_rng[i] = rng_create(rng_seed_derive(seed, replication, STREAM_ARRIVALS, i));
        sim_schedule(&run.sim, dist_draw(&p->src[i].interarrival, run.arrival_rng[i]), arrival,
                     &run, (uint64_t)i);
    }

    sim_run(&run.sim, warmup);
    if (!run.failed) {
        reset_stats(&run);
        sim_run(&run.sim, horizon);
    }
    if (!run.failed) {
        collect(&run, horizon - warmup, out->metrics);
    }
    out->n_events = run.sim.n_events;
    out->n_entities = run.exits;

    for (int i = 0; i < p->n_stations; i++) {
        struct nq_station_rt *srt = &run.st[i];
        pool_fini(&srt->pool, &run.sim);
        queue_fini(&srt->queue);
        gsl_rng_free(srt->service_rng);
        gsl_rng_free(srt->routing_rng);
        gsl_rng_free(srt->patience_rng);
    }
    for (int i = 0; i < p->n_sources; i++) {
        gsl_rng_free(run.arrival_rng[i]);
    }
    free(run.arrival_rng);
    free(run.class_sojourn);
    free(run.st);
    free(run.cust);
    sim_fini(&run.sim);
    return run.failed ? 1 : 0;
}

static const struct cfg_table *const netq_tables[] = {
    &netq_root_table,    &netq_network_table, &netq_arrival_table,
    &netq_station_table, &netq_route_table,   NULL,
};

const struct model_ops netq_ops = {
    .name = "network",
    .help = "an open queueing network, checked against queueing theory",
    .root_table = &netq_root_table,
    .tables = netq_tables,
    .load = netq_load,
    .destroy = params_destroy,
    .n_metrics = netq_n_metrics,
    .metric = netq_metric,
    .run = netq_run,
};
