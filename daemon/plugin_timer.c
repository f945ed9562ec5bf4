/*
 * Plugin host: one-shot timers for plugins, on the daemon's timer heap
 * (timer.h).  Each plugin's timers are listed so the host can free what a
 * plugin leaves behind when it is unloaded or its init fails.
 */
#include <stdlib.h>

#include "log.h"
#include "plugin_priv.h"
#include "timer.h"

struct oakley_timer {
	TAILQ_ENTRY(oakley_timer) link;
	struct timer		 timer;
	struct oakley_host_priv	*owner;
	oakley_timer_cb		*cb;
	void			*arg;
};
TAILQ_HEAD(plugin_timer_list, oakley_timer);

static struct plugin_timer_list timer_all = TAILQ_HEAD_INITIALIZER(timer_all);

static void
plugin_timer_fire(struct timer *t, void *arg)
{
	struct oakley_timer *pt = arg;

	(void)t;
	pt->cb(&pt->owner->host, pt->arg);
}

static struct oakley_timer *
host_timer_new(const struct oakley_host *h, oakley_timer_cb *cb, void *arg)
{
	struct oakley_timer *pt;

	if (plugin_timers == NULL || cb == NULL)
		return NULL;
	if ((pt = calloc(1, sizeof(*pt))) == NULL)
		return NULL;
	pt->owner = plugin_of(h);
	pt->cb = cb;
	pt->arg = arg;
	timer_init(&pt->timer, plugin_timer_fire, pt);
	TAILQ_INSERT_TAIL(&timer_all, pt, link);
	return pt;
}

static int
host_timer_set(const struct oakley_host *h, struct oakley_timer *pt,
    uint32_t ms)
{
	(void)h;
	if (pt == NULL)
		return -1;
	return timer_add_in(plugin_timers, &pt->timer, ms) == 0 ? 0 : -1;
}

static void
host_timer_stop(const struct oakley_host *h, struct oakley_timer *pt)
{
	(void)h;
	if (pt != NULL)
		timer_remove(plugin_timers, &pt->timer);
}

static void
plugin_timer_release(struct oakley_timer *pt)
{
	timer_remove(plugin_timers, &pt->timer);
	TAILQ_REMOVE(&timer_all, pt, link);
	free(pt);
}

static void
host_timer_free(const struct oakley_host *h, struct oakley_timer *pt)
{
	(void)h;
	if (pt != NULL)
		plugin_timer_release(pt);
}

void
plugin_timer_forget(struct oakley_host_priv *p)
{
	struct oakley_timer *pt, *next;
	size_t n = 0;

	for (pt = TAILQ_FIRST(&timer_all); pt != NULL; pt = next) {
		next = TAILQ_NEXT(pt, link);
		if (pt->owner != p)
			continue;
		plugin_timer_release(pt);
		n++;
	}
	if (n > 0)
		log_debug("plugin %s: freed %zu timer(s) it left", p->name, n);
}

void
plugin_host_set_timers(struct oakley_host *h)
{
	h->timer_new = host_timer_new;
	h->timer_set = host_timer_set;
	h->timer_stop = host_timer_stop;
	h->timer_free = host_timer_free;
}
