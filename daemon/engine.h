/*
 * The accessor table (struct oakley_engine) oakleyd hands the plugin
 * host: peers are struct peer, phase 1s, phase 2s and messages the IKE
 * engine's (ike/ike.h).
 */
#ifndef OAKLEY_ENGINE_H
#define OAKLEY_ENGINE_H

#include "oakley/plugin.h"

extern const struct oakley_engine daemon_engine;

#endif /* OAKLEY_ENGINE_H */
