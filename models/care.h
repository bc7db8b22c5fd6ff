/*
 * care — the care-coordination service model (model = "care"), as other layers see it.
 *
 * The model is reached through its struct model_ops (models/model.h): the registry in
 * models/model.c lists it. Everything else about it is internal to models/care*.c
 * (models/care_int.h); docs/model.md describes the model, its metrics and its random streams.
 */
#ifndef CCSIM_MODELS_CARE_H
#define CCSIM_MODELS_CARE_H

#include "models/model.h"

extern const struct model_ops care_ops;

#endif
