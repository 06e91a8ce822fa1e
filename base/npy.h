/*
** npy.h - strict NumPy .npy reader and writer (format versions 1.0 and 2.0).
**
** Supported dtypes: float32 '<f4', float64 '<f8', int8 '|i1', int16 '<i2',
** int32 '<i4', uint8 '|u1'; C order only; little-endian only. Anything else
** (Fortran order, big-endian, other dtypes, truncated data, a malformed header)
** is a QA_EUSER error whose message names the file and says what to do.
*/
#ifndef QA_NPY_H
#define QA_NPY_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_NPY_MAX_DIMS 8

typedef enum QaDtype { QA_DT_F32 = 0, QA_DT_F64, QA_DT_I8, QA_DT_I16, QA_DT_I32, QA_DT_U8 } QaDtype;

typedef struct QaArray {
  QaDtype dtype;
  int ndim; /* 0..QA_NPY_MAX_DIMS */
  int64_t shape[QA_NPY_MAX_DIMS];
  int64_t count; /* product of shape (1 for ndim 0) */
  void *data;    /* owned; count elements of dtype, C order */
} QaArray;

size_t qaDtypeSize(QaDtype t);
const char *qaDtypeName(QaDtype t); /* numpy descr, e.g. "<f4" */

/* Read path into a new array (*out owned by the caller, free with qaArrayDestroy). */
int qaNpyRead(const char *path, QaArray **out, QaErr *err);

/* Write an array (version 1.0 header unless the header needs 2.0). */
int qaNpyWrite(const char *path, QaDtype dtype, int ndim, const int64_t *shape, const void *data, QaErr *err);

void qaArrayDestroy(QaArray *a);

/* Copy the values into a new float buffer (caller frees). NaN/Inf in the data give
** QA_EUSER naming `what` (e.g. the file) and the first bad index. */
int qaArrayToFloat(const QaArray *a, const char *what, float **out, QaErr *err);

/* QA_EUSER unless a has exactly this shape; the message shows both shapes and `what`. */
int qaArrayCheckShape(const QaArray *a, int ndim, const int64_t *shape, const char *what, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_NPY_H */
