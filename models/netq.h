/*
 * netq — a generic open queueing network, to hold the kernel to queueing theory and to run
 * the same workloads as other simulators.
 *
 * Stations have a server pool (a fixed number, or a schedule), a service-time distribution, an
 * optional capacity (most customers in the station, in service included; arrivals beyond it are
 * refused and counted as blocked), FIFO or priority discipline, optional abandonment after a
 * patience distribution, and probabilistic routing to other stations or "exit". Open arrival
 * streams feed stations with their own interarrival distribution and priority.
 *
 * Metrics per station s, after warm-up: s.wait (mean time in queue of customers who started
 * service), s.sojourn (mean time in the station of those who finished service), s.queue_length
 * and s.in_system (time averages), s.utilisation (mean busy / mean on duty), s.blocked
 * (fraction of arrivals refused), s.throughput (service completions per time unit), and
 * s.abandoned (fraction of arrivals that left the queue) for stations with patience. For the
 * whole network: system.sojourn (entry to exit, customers who left after warm-up),
 * system.in_system (time average) and system.throughput. For each arrival stream given a
 * name N (a customer class): N.sojourn and N.throughput, entry to exit.
 *
 * Random streams: arrivals of source i from (STREAM_ARRIVALS, i); at station j service times
 * from (STREAM_SERVICE, j), routing from (STREAM_ROUTING, j), patience from
 * (STREAM_PATIENCE, j).
 */
#ifndef CCSIM_MODELS_NETQ_H
#define CCSIM_MODELS_NETQ_H

#include "models/model.h"

extern const struct model_ops netq_ops;

/* The declared keys of the network groups, for docs. */
extern const struct cfg_table netq_network_table;
extern const struct cfg_table netq_arrival_table;
extern const struct cfg_table netq_station_table;
extern const struct cfg_table netq_route_table;

/* Most customers the network may hold at once before a run is failed as unstable. */
#define NETQ_MAX_CUSTOMERS 20000000u

#endif
