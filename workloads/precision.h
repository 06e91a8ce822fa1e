/*
** precision.h - per-layer precision files: the bits each layer of a network runs at.
**
** The format of the files in workloads/precisions/: '#' comment lines, a header line
** `layer,a_bits,w_bits,source`, then one row per layer: its name in the network, its
** activation precision (1..16), optionally its weight precision (empty: the run's), and
** free text naming where the figure comes from (it may hold commas). Blank lines are
** skipped. Layers of the network that the file does not list keep the run's precisions
** (e.g. the fully connected layers of a conv-only profile). Every error is one line
** "FILE:LINE: message" naming the field and the fix.
*/
#ifndef QA_PRECISION_H
#define QA_PRECISION_H

#include "workloads/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read PATH for network NET: a_bits[i] / w_bits[i] (caller-owned, NET->n_layers each) get
** layer i's precisions, 0 where the file gives none. *n_rows (may be NULL) gets the number
** of rows read. QA_EUSER for a file that cannot be read, a bad header, a layer the network
** does not have (the message lists a few that it has), a layer listed twice, or a number
** out of range. */
int qaPrecisionLoad(const char *path, const QaNet *net, int *a_bits, int *w_bits, int *n_rows, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_PRECISION_H */
