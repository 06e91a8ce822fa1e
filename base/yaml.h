/*
** yaml.h - the one way qasim reads YAML: network files, architecture configs, Accelergy
** tables, and config text kept in a database.
**
** A file (or a string with a name for messages) is checked, parsed with libfyaml's event
** parser and built into a small read-only tree of QaYamlNode. Every node knows its
** 1-based line and column, and every error - from the checks, from libfyaml, or from the
** typed getters below - is one line "NAME:LINE:COLUMN: message" in a QaErr, naming the
** key where one is known. libfyaml never prints anything itself.
**
** Guards, each a documented limit (libfyaml 0.7.12 has the bugs noted):
**   - files: only regular files are opened (a directory or FIFO is an error, never a
**     hang), at most QA_YAML_FILE_MAX_BYTES;
**   - a line starting with '%' (a YAML directive) is refused before the parser sees the
**     text: libfyaml's directive scanner loops forever on e.g. the bytes "%\377\n";
**   - the text must be valid UTF-8 without control characters other than tab, CR, LF
**     (and a byte-order mark only as the very first character);
**   - one document only: a second '---' document is an error;
**   - aliases (*a) are resolved by this module: at most QA_YAML_ALIASES_MAX references
**     and QA_YAML_NODES_MAX nodes counted as if every alias were copied out (alias bombs);
**   - duplicate keys are found with a hash set (libfyaml's own check is quadratic: 10,000
**     keys take 15 s); mappings and sequences hold at most QA_YAML_ITEMS_MAX entries and
**     nest at most QA_YAML_DEPTH_MAX deep;
**   - the parser may read at most QA_YAML_LOOKAHEAD_BYTES past the last value it has
**     returned: libfyaml 0.7.12 buffers a whole [...] or {...} that could be a mapping
**     key (at the top level, or after "- ") before returning any of it, at about 300
**     bytes of memory per byte of input and superlinear time (a 4 MiB one-line list took
**     11 s and 800 MB); a 64 KiB single-line list, string or comment run is refused, a
**     flow list spread over lines or after "key:" streams and is fine;
**   - mapping keys must be scalars; YAML merge keys (<<) are refused; tags are ignored;
**   - input text echoed in a message has control and non-UTF-8 bytes escaped as \xNN.
**
** Aliases resolve transparently: a getter given an alias node reads the anchored value
** but reports errors at the alias's own line and column.
**
** Reading a flat config (e.g. an architecture config `arch: NAME` + `params: {k: v}`):
**
**   QaYamlDoc *doc;
**   if ((rc = qaYamlLoadString("run 12 config", text, strlen(text), &doc, err))) return rc;
**   const QaYamlNode *root = qaYamlRoot(doc), *params = qaYamlLookup(root, "params");
**   for (int i = 0; i < qaYamlCount(params); i++) {
**     const QaYamlNode *k = qaYamlKeyAt(params, i), *v = qaYamlValueAt(params, i);
**     ... qaYamlScalar(k) is the name; qaYamlGetDouble(v, "parameter 'x'", lo, hi, &d, err)
**   }
**   qaYamlDestroy(doc);
*/
#ifndef QA_YAML_H
#define QA_YAML_H

#include <stddef.h>
#include <stdint.h>

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_YAML_FILE_MAX_BYTES (16u << 20)  /* 16 MiB: the largest YAML file or string read */
#define QA_YAML_NODES_MAX 100000            /* nodes in a document, counting alias copies */
#define QA_YAML_ALIASES_MAX 10000           /* alias references (*name) in a document */
#define QA_YAML_ITEMS_MAX 50000             /* entries of one mapping or sequence */
#define QA_YAML_DEPTH_MAX 32                /* nesting of mappings and sequences */
#define QA_YAML_LOOKAHEAD_BYTES (64u << 10) /* text the parser may read ahead of its output */

typedef struct QaYamlDoc QaYamlDoc;   /* a parsed document; owns every node */
typedef struct QaYamlNode QaYamlNode; /* a scalar, sequence, mapping or alias in it */

typedef enum QaYamlKind {
  QA_YAML_NONE = 0, /* a NULL node: the key was absent */
  QA_YAML_SCALAR,   /* text (numbers, words, quoted strings, empty values) */
  QA_YAML_SEQ,      /* a list: [a, b] or "- a" lines */
  QA_YAML_MAP       /* a mapping: {k: v} or "k: v" lines */
} QaYamlKind;

/* ---- loading ---------------------------------------------------------------------- */

/* Read and parse the YAML file PATH into *out (the caller destroys it). WHAT names the
** file in open errors ("network file" -> "PATH: cannot open network file: No such file
** or directory"; NULL means "file"). Returns QA_OK; QA_EUSER with "PATH: is a directory",
** "PATH: is not a regular file", a size error or a "PATH:LINE:COL: ..." message for bad
** content; QA_EINTERNAL if out of memory. *out is NULL on error. */
int qaYamlLoadFile(const char *path, const char *what, QaYamlDoc **out, QaErr *err);

/* Parse LEN bytes of TEXT (need not be NUL-terminated; not kept after the call) as YAML.
** NAME stands for the text in messages ("NAME:LINE:COL: ..."), e.g. "run 12 config".
** Errors as qaYamlLoadFile. */
int qaYamlLoadString(const char *name, const char *text, size_t len, QaYamlDoc **out, QaErr *err);

/* Free the document and every node in it. NULL is a no-op. */
void qaYamlDestroy(QaYamlDoc *doc);

/* The top-level node, or NULL for an empty document (a file of comments only). */
const QaYamlNode *qaYamlRoot(const QaYamlDoc *doc);

/* The name given at load time (the path for files), as used in messages. */
const char *qaYamlName(const QaYamlDoc *doc);

/* ---- nodes (all accept NULL and resolve aliases) ----------------------------------------- */

QaYamlKind qaYamlKind(const QaYamlNode *n);
/* "a scalar", "a list", "a mapping", "an empty value" (key: with nothing, ~ or null), or
** "nothing" for NULL: for messages like "must be a list, not a mapping". */
const char *qaYamlKindName(const QaYamlNode *n);
/* 1-based line and column where n is written (an alias: where the alias is); 0 for NULL. */
int qaYamlLine(const QaYamlNode *n);
int qaYamlColumn(const QaYamlNode *n);
/* A scalar's text, NUL-terminated (never contains NUL), owned by the document; NULL if n
** is not a scalar. Quoting does not matter: "8" and 8 both give "8". */
const char *qaYamlScalar(const QaYamlNode *n);
/* 1 for an empty value: a plain scalar that is empty, "~" or "null"; else 0. */
int qaYamlIsNull(const QaYamlNode *n);
/* Entries of a mapping or items of a sequence; 0 for anything else. */
int qaYamlCount(const QaYamlNode *n);
/* Item I of a sequence, or NULL if out of range or not a sequence. */
const QaYamlNode *qaYamlItem(const QaYamlNode *seq, int i);
/* Key / value of entry I of a mapping (in file order; keys are always scalars). */
const QaYamlNode *qaYamlKeyAt(const QaYamlNode *map, int i);
const QaYamlNode *qaYamlValueAt(const QaYamlNode *map, int i);
/* The value of KEY in MAP (hashed, O(1)), or NULL if absent or MAP is not a mapping. */
const QaYamlNode *qaYamlLookup(const QaYamlNode *map, const char *key);

/* ---- messages ------------------------------------------------------------------------ */

/* Set "NAME:LINE:COL: message" (AT's document and position) in *err; returns QA_EUSER.
** AT must not be NULL: pass the node the message is about. */
int qaYamlFail(const QaYamlNode *at, QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The same at line 1, column 1 of DOC (e.g. "the file is empty"). */
int qaYamlFailDoc(const QaYamlDoc *doc, QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Copy S into OUT[CAP] for a message: control characters (tab and newlines too) and bytes
** that are not UTF-8 become \xNN; text that does not fit is cut at a character boundary
** and ends in "...". */
void qaYamlEscape(const char *s, char *out, size_t cap);

/* ---- typed getters -------------------------------------------------------------------- */
/* Each reads node V (resolving an alias), writes *out only on success, and on error returns
** QA_EUSER with "NAME:LINE:COL: WHAT ..." where WHAT names the value, e.g. "key 'filters'
** in layer 'conv1'" or "parameter 'tiles'". A NULL V is reported at no position, so check
** presence first (qaYamlReadMap, qaYamlMissing). */

/* A scalar's text, pointer owned by the document: any text, including multi-line; an
** empty value (key: with nothing, ~ or null) reads as "". */
int qaYamlGetText(const QaYamlNode *v, const char *what, const char **out, QaErr *err);
/* A one-line string of at most CAP-1 bytes copied into OUT: a scalar without control
** characters (tab included); empty is allowed and an empty value reads as "" (check
** out[0] if a name is required). Too long is an error
** ("is too long (at most N characters)"), never a silent truncation. */
int qaYamlGetStr(const QaYamlNode *v, const char *what, char *out, size_t cap, QaErr *err);
/* A decimal integer in [LO, HI], as base/parse.h reads it: an optional '-' and digits
** only - no spaces, no junk, no "+5", "1e3", "0x10" or "1.0". */
int qaYamlGetInt(const QaYamlNode *v, const char *what, int lo, int hi, int *out, QaErr *err);
int qaYamlGetInt64(const QaYamlNode *v, const char *what, int64_t lo, int64_t hi, int64_t *out, QaErr *err);
/* A finite decimal number in [LO, HI], as base/parse.h reads it ("12", "-0.5", "1e-9",
** ".5"); no NaN, Inf, .inf, hex floats, spaces or junk. */
int qaYamlGetDouble(const QaYamlNode *v, const char *what, double lo, double hi, double *out, QaErr *err);
/* true/false/yes/no in any letter case -> 1/0. */
int qaYamlGetBool(const QaYamlNode *v, const char *what, int *out, QaErr *err);
/* A list of exactly N (at most 64) integers in [LO, HI], or (if ALLOW_SCALAR) one integer
** that fills all N. *count (may be NULL) gets how many were written in the file (1 for a scalar). */
int qaYamlGetInts(const QaYamlNode *v, const char *what, int n, int lo, int hi, int allow_scalar, int out[],
                  int *count, QaErr *err);

/* ---- mappings with known keys ------------------------------------------------------ */

typedef struct QaYamlField {
  const QaYamlNode *key; /* the key as written (for "key 'x' ..." messages at its line), NULL if absent */
  const QaYamlNode *val; /* its value; NULL if the key is absent */
} QaYamlField;

/* Sort MAP's entries into OUT[i] by the index i of their key in KEYS[0..n_keys); absent
** keys leave OUT[i] = {NULL, NULL}. An unknown key is QA_EUSER "unknown key 'x' WHERE
** (known: a, b, c)", plus "; did you mean 'y'?" when one known key is within edit distance
** 2. WHERE is a phrase like "in layer 'conv1'" or "at the top level". MAP not a mapping:
** QA_EUSER "expected a mapping WHERE, not a list". */
int qaYamlReadMap(const QaYamlNode *map, const char *where, const char *const *keys, int n_keys,
                  QaYamlField *out, QaErr *err);

/* Returns QA_EUSER with "NAME:LINE:COL: missing required key 'KEY' WHERE" at MAP. */
int qaYamlMissing(const QaYamlNode *map, const char *key, const char *where, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_YAML_H */
