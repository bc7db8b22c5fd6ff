#!/usr/bin/python3
"""W1a (M/M/10) in SimPy 2.3.1 (Debian's python3-simpy): the peer figure of bench/README.md.

Poisson arrivals at LAMBDA per hour, 10 servers with exponential service of mean 1 hour, FIFO,
unlimited queue, horizon 80,000 h, warm-up 1,000 h (PEERS.md W1). Times the simulation call
alone, as bench_mmc does for ccsim, and prints: customers completed, seconds, mean wait in
queue after warm-up (exact 0.668732 h at LAMBDA 9), peak memory of the process in KB.

Usage: simpy_mmc.py [LAMBDA [HORIZON]]
"""
import random
import resource
import sys
import time

from SimPy.Simulation import (Process, Resource, activate, hold, initialize, now, release,
                              request, simulate)

LAMBDA = float(sys.argv[1]) if len(sys.argv) > 1 else 9.0
HORIZON = float(sys.argv[2]) if len(sys.argv) > 2 else 80000.0
WARMUP = 1000.0
SERVERS = 10

stats = {"served": 0, "waits": 0, "sum_wait": 0.0}
rng = random.Random(1)


class Customer(Process):
    def visit(self, desk):
        arrived = now()
        yield request, self, desk
        start = now()
        if start >= WARMUP:
            stats["waits"] += 1
            stats["sum_wait"] += start - arrived
        yield hold, self, rng.expovariate(1.0)
        yield release, self, desk
        stats["served"] += 1


class Source(Process):
    def generate(self, desk):
        while True:
            yield hold, self, rng.expovariate(LAMBDA)
            c = Customer()
            activate(c, c.visit(desk))


initialize()
desk = Resource(capacity=SERVERS, name="desk")
src = Source()
activate(src, src.generate(desk))
t0 = time.perf_counter()
simulate(until=HORIZON)
secs = time.perf_counter() - t0
wq = stats["sum_wait"] / stats["waits"] if stats["waits"] else float("nan")
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("%d %.6f %.6f %d" % (stats["served"], secs, wq, peak_kb))
