#include "sim/calendar.h"

void calendar_init(struct calendar *cal)
{
    heap_init(&cal->heap, sizeof(struct cal_event), 0);
}

void calendar_fini(struct calendar *cal)
{
    heap_fini(&cal->heap);
}
