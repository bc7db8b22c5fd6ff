#include "analysis/progress.h"

#include <stdio.h>
#include <time.h>

#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

bool progress_wanted(void)
{
    return isatty(STDERR_FILENO) == 1;
}

void progress_init(struct progress *p, bool is_enabled, long total, const char *unit)
{
    p->is_enabled = is_enabled;
    p->total = total;
    p->done = 0;
    p->unit = unit;
    p->t_start = progress_now();
    p->t_drawn = 0.0;
    pthread_mutex_init(&p->lock, NULL);
}

static void draw(const struct progress *p, double now)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    long filled = p->total > 0 ? p->done * WIDTH / p->total : WIDTH;
    double elapsed = now - p->t_start;

    for (int i = 0; i < WIDTH; i++) {
        bar[i] = i < filled ? '#' : '.';
    }
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %ld/%ld %s", bar, p->done, p->total, p->unit);
    if (p->done > 0 && p->done < p->total) {
        double left = elapsed / (double)p->done * (double)(p->total - p->done);
        fprintf(stderr, ", %.0f s left ", left);
    } else {
        fprintf(stderr, "            ");
    }
    fflush(stderr);
}

void progress_step(struct progress *p, long n)
{
    if (!p->is_enabled) {
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->done += n;
    double now = progress_now();
    if (now - p->t_drawn >= 0.1 || p->done == p->total) {
        draw(p, now);
        p->t_drawn = now;
    }
    pthread_mutex_unlock(&p->lock);
}

void progress_fini(struct progress *p)
{
    if (p->is_enabled) {
        fprintf(stderr, "\r%*s\r", 80, "");
        fflush(stderr);
    }
    pthread_mutex_destroy(&p->lock);
}
