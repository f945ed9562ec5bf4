/*
 * The accessor table (struct oakley_engine) oakleyd hands the plugin
 * host: peers are struct peer, phase 1s, phase 2s and messages the IKE
 * engine's (ike/ike.h).
 */
#ifndef OAKLEY_ENGINE_H
#define OAKLEY_ENGINE_H

#include "oakley/plugin.h"

extern const struct oakley_engine daemon_engine;

struct ike;

/* The IKE engine the accessors act on (peer_sas_refresh); NULL: none. */
void	engine_set_ike(struct ike *);

#endif /* OAKLEY_ENGINE_H */
