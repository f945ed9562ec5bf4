/*
 * The accessor table (struct oakley_engine) oakleyd hands the plugin
 * host.  The peer accessors work on struct peer; the phase-1, phase-2
 * and message accessors answer "none" until the IKE engine provides
 * those objects.
 */
#ifndef OAKLEY_ENGINE_H
#define OAKLEY_ENGINE_H

#include "oakley/plugin.h"

extern const struct oakley_engine daemon_engine;

#endif /* OAKLEY_ENGINE_H */
