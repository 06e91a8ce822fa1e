/*
** import.h - networks in the formats of other simulators: DNNsim trace directories,
** SCALE-Sim topology CSV files and Timeloop v0.4 problem files.
**
** Each importer builds a QaNet (layer.h) that the rest of qasim runs like any other:
**   DNNsim    DIR/model.csv (one row per layer, `Name:Type:Stride:Padding`, Type conv or
**             fc) with DIR/wgt-NAME.npy (K, C/groups, R, S) and DIR/act-NAME-0.npy
**             (N, C, H, W) per layer; optional DIR/bias-NAME.npy, DIR/act-NAME-0-out.npy
**             (the output) and DIR/precision.txt (a header line, then four lines of
**             ';'-separated integers per layer: activation magnitude bits (sign
**             included), activation fraction bits, weight magnitude bits, weight fraction
**             bits; a layer's bits are magnitude + fraction). The geometry comes from the
**             arrays' shapes (groups = C / the weights' C), the traces are the files;
**   SCALE-Sim a topology CSV: a header line, then `name, ifmap H, ifmap W, filter H,
**             filter W, channels, filters, stride[, stride W],` (the trailing comma, blank
**             lines and all-comma lines are tolerated). SCALE-Sim's padding convention
**             (scale-sim-v2 scalesim/topology_utils.py, topo_calc_hyperparams): no padding
**             at the top / left - the ifmap given is the one the filter slides over (the
**             shipped files mostly give the unpadded size, so their MACs fall short of the
**             real networks') - and OH = ceil((H - R + stride) / stride), so when stride
**             does not divide H - R the last window hangs over the bottom / right edge.
**             That is zero padding there: pad bottom = (OH - 1) * stride + R - H (and
**             right likewise), and MACs = OH*OW*R*S*C*filters equal SCALE-Sim's exactly.
**             (Where a whole window lies past the edge - a 1x1 filter at stride 2 on an
**             even ifmap - the ifmap is extended by those rows instead, since padding must
**             be smaller than the kernel; they get synthetic values like the rest.)
**             A row with "DP" in its name is depthwise with `filters` outputs
**             per channel (SCALE-Sim runs it as C one-channel layers: the same MACs), and
**             so is a row with filters = 1 and channels > 1 (the other spelling in the
**             shipped files); a 1x1 filter over a 1x1 ifmap becomes an fc layer. A layer
**             whose channels differ from the previous layer's outputs is kept, with a
**             warning in net->notes (some shipped files are inconsistent). Shapes only:
**             values are synthetic;
**   Timeloop  `problem: {instance: {C, M, N, P, Q, R, S, Hstride, Wstride, Hdilation,
**             Wdilation}}` (also spelled HStride / WStride): P, Q are the output width and
**             height and R, S the filter width and height (the Inputs projection of
**             Timeloop's CNN_Layer: W = R*Wdilation + P*Wstride, H = S*Hdilation +
**             Q*Hstride), so the input is the padded one, H = (Q - 1) * Hstride + S, and
**             padding is 0. Dilation other than 1 is refused. A file is a one-layer
**             network; a directory is the network of its *.yaml problem files in natural
**             name order (layer2 before layer10), each layer named by its file.
** Every error is one line naming the file (and line or key) and the fix.
*/
#ifndef QA_IMPORT_H
#define QA_IMPORT_H

#include "workloads/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load the DNNsim trace directory DIR. *out owned by the caller. QA_EUSER naming the file. */
int qaNetLoadDnnsim(const char *dir, QaNet **out, QaErr *err);
/* Load the SCALE-Sim topology CSV PATH. */
int qaNetLoadScaleSim(const char *path, QaNet **out, QaErr *err);
/* Load a Timeloop v0.4 problem file, or the directory of them, PATH. */
int qaNetLoadTimeloop(const char *path, QaNet **out, QaErr *err);

/* 1 if PATH is a YAML file whose top level has a `problem` key (a Timeloop problem). */
int qaIsTimeloopFile(const char *path);

#ifdef __cplusplus
}
#endif
#endif /* QA_IMPORT_H */
