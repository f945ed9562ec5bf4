/*
 * Timers: a binary min-heap ordered by (deadline, seq), see timer.h.
 *
 * heap[0] is the earliest timer.  Each heap entry carries its timer's
 * deadline and seq beside the pointer, so sifting compares entries of one
 * array instead of following pointers; every queued timer stores its heap
 * index so it can be removed or moved in O(log n).  seq grows on every
 * (re)add, which makes equal deadlines first-in first-out.
 *
 * timers_run() first moves every due timer from the heap to the "due"
 * list, in heap order, then calls them one by one.  A callback that
 * removes a timer still on the due list just clears its slot; one that
 * re-adds it moves it back to the heap, so it waits for a later run.
 * The due array grows together with the heap, so a run never allocates.
 */
#include <sys/time.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "timer.h"

#define TIMERS_INITIAL_CAP	64

struct heap_entry {
	uint64_t	deadline;
	uint64_t	seq;
	struct timer	*timer;
};

struct timers {
	struct heap_entry *heap;
	size_t		count;
	size_t		cap;		/* of heap and of due */
	struct timer	**due;
	size_t		due_count;
	uint64_t	next_seq;
	bool		running;
	timers_clock_fn	*clock;
	void		*clock_arg;

	/* libevent adaptor */
	struct event	*event;
	bool		armed;
	uint64_t	armed_deadline;
};

static void	timers_rearm(struct timers *);

uint64_t
timers_monotonic_ms(void *arg)
{
	struct timespec ts;

	(void)arg;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct timers *
timers_new(timers_clock_fn *clock, void *clock_arg)
{
	struct timers *timers;

	if (clock == NULL)
		clock = timers_monotonic_ms;
	timers = calloc(1, sizeof(*timers));
	if (timers == NULL)
		return NULL;
	timers->clock = clock;
	timers->clock_arg = clock_arg;
	return timers;
}

void
timers_free(struct timers *timers)
{
	size_t i;

	if (timers == NULL)
		return;
	timers_detach(timers);
	for (i = 0; i < timers->count; i++)
		timers->heap[i].timer->state = TIMER_IDLE;
	free(timers->heap);
	free(timers->due);
	free(timers);
}

uint64_t
timers_now(const struct timers *timers)
{
	return timers->clock(timers->clock_arg);
}

void
timer_init(struct timer *timer, timer_cb *cb, void *arg)
{
	timer->deadline = 0;
	timer->index = 0;
	timer->state = TIMER_IDLE;
	timer->cb = cb;
	timer->arg = arg;
}

bool
timer_pending(const struct timer *timer)
{
	return timer->state != TIMER_IDLE;
}

uint64_t
timer_deadline(const struct timer *timer)
{
	return timer->deadline;
}

size_t
timers_count(const struct timers *timers)
{
	return timers->count;
}

size_t
timers_memory(const struct timers *timers)
{
	return sizeof(*timers) +
	    timers->cap * (sizeof(struct heap_entry) + sizeof(struct timer *));
}

bool
timers_next_deadline(const struct timers *timers, uint64_t *deadline)
{
	if (timers->count == 0)
		return false;
	*deadline = timers->heap[0].deadline;
	return true;
}

/* True if a must run before b. */
static bool
entry_before(const struct heap_entry *a, const struct heap_entry *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void
heap_place(struct timers *timers, const struct heap_entry *entry,
    size_t index)
{
	timers->heap[index] = *entry;
	entry->timer->index = (uint32_t)index;
}

static void
heap_sift_up(struct timers *timers, size_t index)
{
	struct heap_entry entry = timers->heap[index];
	size_t parent;

	while (index > 0) {
		parent = (index - 1) / 2;
		if (!entry_before(&entry, &timers->heap[parent]))
			break;
		heap_place(timers, &timers->heap[parent], index);
		index = parent;
	}
	heap_place(timers, &entry, index);
}

static void
heap_sift_down(struct timers *timers, size_t index)
{
	struct heap_entry entry = timers->heap[index];
	size_t child;

	for (;;) {
		child = 2 * index + 1;
		if (child >= timers->count)
			break;
		if (child + 1 < timers->count && entry_before(
		    &timers->heap[child + 1], &timers->heap[child]))
			child++;
		if (!entry_before(&timers->heap[child], &entry))
			break;
		heap_place(timers, &timers->heap[child], index);
		index = child;
	}
	heap_place(timers, &entry, index);
}

/* Take a queued timer out of the heap, keeping the heap order. */
static void
heap_delete(struct timers *timers, struct timer *timer)
{
	size_t index = timer->index;

	timers->count--;
	timer->state = TIMER_IDLE;
	if (index == timers->count)
		return;
	/* The last entry fills the hole, then moves up or down. */
	heap_place(timers, &timers->heap[timers->count], index);
	if (index > 0 && entry_before(&timers->heap[index],
	    &timers->heap[(index - 1) / 2]))
		heap_sift_up(timers, index);
	else
		heap_sift_down(timers, index);
}

static int
heap_grow(struct timers *timers)
{
	struct heap_entry *heap;
	struct timer **due;
	size_t cap;

	cap = timers->cap == 0 ? TIMERS_INITIAL_CAP : timers->cap * 2;
	if (cap > UINT32_MAX)
		return ENOMEM;
	heap = realloc(timers->heap, cap * sizeof(*heap));
	if (heap == NULL)
		return ENOMEM;
	timers->heap = heap;
	due = realloc(timers->due, cap * sizeof(*due));
	if (due == NULL)
		return ENOMEM;
	timers->due = due;
	timers->cap = cap;
	return 0;
}

/* Take a timer off the heap or the due list; it becomes idle. */
static void
timer_unlink(struct timers *timers, struct timer *timer)
{
	if (timer->state == TIMER_QUEUED)
		heap_delete(timers, timer);
	else if (timer->state == TIMER_DUE)
		timers->due[timer->index] = NULL;
	timer->state = TIMER_IDLE;
}

int
timer_add(struct timers *timers, struct timer *timer, uint64_t deadline)
{
	struct heap_entry entry;
	int error;

	if (timer->state != TIMER_QUEUED && timers->count == timers->cap) {
		error = heap_grow(timers);
		if (error != 0)
			return error;
	}
	timer_unlink(timers, timer);
	timer->deadline = deadline;
	timer->state = TIMER_QUEUED;
	entry.deadline = deadline;
	entry.seq = timers->next_seq++;
	entry.timer = timer;
	heap_place(timers, &entry, timers->count);
	timers->count++;
	heap_sift_up(timers, timer->index);
	timers_rearm(timers);
	return 0;
}

int
timer_add_in(struct timers *timers, struct timer *timer, uint64_t delay_ms)
{
	uint64_t now = timers_now(timers);

	return timer_add(timers, timer, delay_ms > UINT64_MAX - now ?
	    UINT64_MAX : now + delay_ms);
}

uint64_t
timers_after_s(uint64_t start_ms, uint64_t seconds)
{
	if (seconds > (UINT64_MAX - start_ms) / 1000)
		return UINT64_MAX;
	return start_ms + seconds * 1000;
}

void
timer_remove(struct timers *timers, struct timer *timer)
{
	if (timer->state == TIMER_IDLE)
		return;
	timer_unlink(timers, timer);
	timers_rearm(timers);
}

/* Move every timer due at "now" to the due list, earliest first. */
static void
timers_collect_due(struct timers *timers, uint64_t now)
{
	struct timer *timer;

	timers->due_count = 0;
	while (timers->count > 0 && timers->heap[0].deadline <= now) {
		timer = timers->heap[0].timer;
		heap_delete(timers, timer);
		timer->state = TIMER_DUE;
		timer->index = (uint32_t)timers->due_count;
		timers->due[timers->due_count++] = timer;
	}
}

size_t
timers_run(struct timers *timers, uint64_t now)
{
	struct timer *timer;
	size_t i, ran = 0;

	if (timers->running)
		return 0;
	timers->running = true;
	timers_collect_due(timers, now);
	for (i = 0; i < timers->due_count; i++) {
		timer = timers->due[i];
		if (timer == NULL)
			continue;	/* removed or re-added by a callback */
		timers->due[i] = NULL;
		timer->state = TIMER_IDLE;
		timer->cb(timer, timer->arg);
		ran++;
	}
	timers->due_count = 0;
	timers->running = false;
	timers_rearm(timers);
	return ran;
}

/* libevent adaptor */

static void
timers_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timers *timers = arg;

	(void)fd;
	(void)what;
	timers->armed = false;
	timers_run(timers, timers_now(timers));
}

/* Keep the one evtimer armed for the earliest deadline. */
static void
timers_rearm(struct timers *timers)
{
	struct timeval tv;
	uint64_t deadline, now, delay;

	if (timers->event == NULL || timers->running)
		return;
	if (timers->count == 0) {
		if (timers->armed)
			event_del(timers->event);
		timers->armed = false;
		return;
	}
	deadline = timers->heap[0].deadline;
	if (timers->armed && timers->armed_deadline == deadline)
		return;
	now = timers_now(timers);
	delay = deadline > now ? deadline - now : 0;
	tv.tv_sec = (time_t)(delay / 1000);
	tv.tv_usec = (suseconds_t)(delay % 1000 * 1000);
	if (event_add(timers->event, &tv) != 0)
		return;
	timers->armed = true;
	timers->armed_deadline = deadline;
}

int
timers_attach(struct timers *timers, struct event_base *base)
{
	if (base == NULL || timers->event != NULL)
		return EINVAL;
	timers->event = event_new(base, -1, 0, timers_event_cb, timers);
	if (timers->event == NULL)
		return ENOMEM;
	timers->armed = false;
	timers_rearm(timers);
	return 0;
}

void
timers_detach(struct timers *timers)
{
	if (timers->event == NULL)
		return;
	event_free(timers->event);
	timers->event = NULL;
	timers->armed = false;
}
