/*
** yaml.c - YAML loading with the guards listed in yaml.h, the node tree, typed getters.
**
** Loading runs in three steps. check() walks the raw bytes once: it refuses '%' lines
** (libfyaml 0.7.12 can hang in its directive scanner), bytes that are not UTF-8 and
** control characters, and it counts lines and columns the way libfyaml does (LF, CRLF
** and CR end a line; a column is a character). Then libfyaml's event parser (not its
** document builder, whose duplicate-key check is quadratic and whose alias resolution
** copies) turns the text into events, and build() makes one node per event in an arena:
** a stack of open collections, a scratch vector of their children so far, and one hash
** table that holds both the anchors (&name -> node) and every mapping key (mapping, key
** -> entry), which finds duplicate keys in O(1) and later serves qaYamlLookup.
** Aliases stay nodes of their own pointing at the anchored node, so an alias bomb costs
** nothing to parse: its expanded size is counted instead (each node knows how many
** nodes it would be with every alias copied out) and capped.
*/
#define _POSIX_C_SOURCE 200809L
#include "base/yaml.h"

#include <float.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/strbuf.h"

enum { KIND_ALIAS = 8 }; /* node kind besides the public QaYamlKind values */

struct QaYamlNode {
  const QaYamlDoc *doc;
  const QaYamlNode *target; /* alias: the anchored node (never an alias); else NULL */
  const char *text;         /* scalar: its text; alias: the anchor name */
  const QaYamlNode **items; /* sequence: n items; mapping: key0, value0, key1, value1, ... */
  uint32_t n;               /* sequence items / mapping entries */
  uint32_t expanded;        /* nodes counting alias copies (an alias: its target's) */
  int line, col;            /* 1-based position */
  unsigned char kind;       /* QA_YAML_SCALAR/SEQ/MAP or KIND_ALIAS */
  unsigned char plain;      /* scalar written without quotes (an empty value is plain) */
  unsigned char open;       /* collection whose end event has not come yet */
};

typedef struct Block {
  struct Block *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
} Block;

/* One hash slot: an anchor (owner == the document) or a mapping key (owner == mapping). */
typedef struct Slot {
  const void *owner;
  const char *key;
  size_t len;
  uint64_t hash;
  const QaYamlNode *node; /* anchor: the anchored node; key: the key node */
  uint32_t index;         /* key: its entry index in the mapping */
} Slot;

struct QaYamlDoc {
  char *name; /* for messages, escaped */
  const QaYamlNode *root;
  Block *blocks;
  Slot *slots;
  size_t n_slots, cap_slots; /* cap is 0 or a power of two */
};

static const QaYamlNode *res(const QaYamlNode *n) { return n && n->kind == KIND_ALIAS ? n->target : n; }

/* ---- arena ------------------------------------------------------------------------------ */

static void *arenaAlloc(QaYamlDoc *doc, size_t n) {
  n = (n + 15) & ~(size_t)15;
  Block *b = doc->blocks;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > 60000 ? n : 60000;
    b = malloc(sizeof *b + cap);
    if (!b) return NULL;
    b->cap = cap;
    b->used = 0;
    b->next = doc->blocks;
    doc->blocks = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  return p;
}

/* ---- hash table ------------------------------------------------------------------------- */

/* FNV-1a of the key, seeded by the owner, then mixed (murmur3's finaliser): FNV's low bits
** alone cluster badly in a power-of-two table. */
static uint64_t hashOf(const void *owner, const char *key, size_t len) {
  uint64_t h = qaHash64(key, len, (uint64_t)(uintptr_t)owner * 0x9e3779b97f4a7c15ULL);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

/* The slot for (owner, key): the matching one, or the empty one where it would go. */
static Slot *slotFind(const QaYamlDoc *doc, const void *owner, const char *key, size_t len, uint64_t h) {
  size_t mask = doc->cap_slots - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    Slot *s = &doc->slots[i];
    if (!s->owner) return s;
    if (s->hash == h && s->owner == owner && s->len == len && !memcmp(s->key, key, len)) return s;
  }
}

/* Make room for one more slot (load factor at most 1/2); 0 if out of memory. */
static int slotReserve(QaYamlDoc *doc) {
  if ((doc->n_slots + 1) * 2 <= doc->cap_slots) return 1;
  size_t cap = doc->cap_slots ? doc->cap_slots * 2 : 256;
  Slot *old = doc->slots;
  size_t old_cap = doc->cap_slots;
  doc->slots = calloc(cap, sizeof *doc->slots);
  if (!doc->slots) {
    doc->slots = old;
    return 0;
  }
  doc->cap_slots = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].owner) *slotFind(doc, old[i].owner, old[i].key, old[i].len, old[i].hash) = old[i];
  free(old);
  return 1;
}

/* ---- escaping --------------------------------------------------------------------------- */

/* Length of the valid UTF-8 character at s (n bytes left) with its code point in *cp, or 0
** for an invalid, overlong or surrogate sequence. */
static size_t utf8Char(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned c = s[0];
  size_t k;
  uint32_t v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    k = 2, v = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    k = 3, v = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    k = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (n < k) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return k;
}

/* A character that must not appear raw in input or in a message. */
static int isControl(uint32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0xFFFE || cp == 0xFFFF;
}

/* Append S (n bytes) to b with every control character (tab and newlines too) and every
** byte that is not UTF-8 written as \xNN; if that would take more than max_out bytes,
** stop at a character boundary and append "..." (so at most max_out + 3 bytes). */
static void escapeTo(QaStrBuf *b, const char *s, size_t n, size_t max_out) {
  const unsigned char *p = (const unsigned char *)s;
  size_t added = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = utf8Char(p + i, n - i, &cp);
    int raw = k && !isControl(cp) && cp >= 0x20;
    size_t bytes = k ? k : 1, m = raw ? bytes : 4 * bytes;
    if (added + m > max_out) {
      qaStrBufAppend(b, "...");
      return;
    }
    if (raw)
      qaStrBufAppendN(b, s + i, bytes);
    else
      for (size_t j = 0; j < bytes; j++) qaStrBufAppendf(b, "\\x%02X", p[i + j]);
    added += m;
    i += bytes;
  }
}

void qaYamlEscape(const char *s, char *out, size_t cap) {
  QaStrBuf b;
  if (!cap) return;
  out[0] = 0;
  if (cap < 8) return;
  qaStrBufInit(&b);
  escapeTo(&b, s, strlen(s), cap - 4);
  if (!b.oom) memcpy(out, qaStrBufText(&b), b.len + 1);
  qaStrBufFree(&b);
}

/* ---- messages --------------------------------------------------------------------------- */

static int failAtV(QaErr *err, const char *name, int line, int col, const char *fmt, va_list ap) {
  char msg[QA_ERR_MAX];
  vsnprintf(msg, sizeof msg, fmt, ap);
  return qaErrSet(err, QA_EUSER, "%s:%d:%d: %s", name, line, col, msg);
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int
failAt(QaErr *err, const char *name, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = failAtV(err, name, line, col, fmt, ap);
  va_end(ap);
  return rc;
}

int qaYamlFail(const QaYamlNode *at, QaErr *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = failAtV(err, at->doc->name, at->line, at->col, fmt, ap);
  va_end(ap);
  return rc;
}

int qaYamlFailDoc(const QaYamlDoc *doc, QaErr *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = failAtV(err, doc->name, 1, 1, fmt, ap);
  va_end(ap);
  return rc;
}

/* "'text'" escaped and shortened, for "(got '...')". */
typedef struct Quoted {
  char s[100];
} Quoted;
static Quoted quote(const char *text) {
  Quoted q;
  qaYamlEscape(text, q.s, sizeof q.s);
  return q;
}

/* ---- the byte check --------------------------------------------------------------------- */

/* Refuse directives, bad UTF-8 and control characters; see the file comment. */
static int check(const char *name, const char *text, size_t len, QaErr *err) {
  const unsigned char *p = (const unsigned char *)text;
  int line = 1, col = 1, line_start = 1;
  size_t i = 0;
  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3; /* a leading byte-order mark */
  while (i < len) {
    unsigned c = p[i];
    if (line_start && c == '%')
      return failAt(err, name, line, col, "YAML directives (%%...) are not supported; remove this line");
    line_start = 0;
    if (c == '\n' || c == '\r') {
      i += (c == '\r' && i + 1 < len && p[i + 1] == '\n') ? 2 : 1;
      line++;
      col = 1;
      line_start = 1;
      continue;
    }
    uint32_t cp;
    size_t k = utf8Char(p + i, len - i, &cp);
    if (!k)
      return failAt(err, name, line, col, "a byte that is not valid UTF-8 (\\x%02X); save the file as UTF-8",
                    c);
    if (isControl(cp) || cp == 0xFEFF) {
      char bytes[20] = "";
      for (size_t j = 0; j < k; j++) snprintf(bytes + 4 * j, sizeof bytes - 4 * j, "\\x%02X", p[i + j]);
      if (cp == 0xFEFF)
        return failAt(err, name, line, col, "a byte-order mark (%s) is allowed only at the start of the text",
                      bytes);
      return failAt(err, name, line, col,
                    "control character %s (U+%04X) is not allowed (only tab, CR and LF are)", bytes,
                    (unsigned)cp);
    }
    i += k;
    col++;
  }
  return QA_OK;
}

/* ---- building the tree from events ------------------------------------------------------ */

typedef struct Frame {
  QaYamlNode *node; /* the open collection */
  size_t first;     /* index in scratch of its first child */
} Frame;

typedef struct Builder {
  QaYamlDoc *doc;
  QaErr *err;
  Frame stack[QA_YAML_DEPTH_MAX];
  int depth;
  const QaYamlNode **scratch; /* children of the open collections, innermost last */
  size_t n_scratch, cap_scratch;
  uint64_t n_nodes; /* nodes so far, counting alias copies */
  int n_aliases;
  int n_docs;
  int line, col; /* the last position seen (for events without one) */
} Builder;

static int oom(Builder *b) {
  return qaErrSet(b->err, QA_EINTERNAL, "%s: out of memory parsing YAML", b->doc->name);
}

/* Position of an event into b->line/col (kept if the event has none). */
static void position(Builder *b, struct fy_event *e) {
  const struct fy_mark *m = fy_event_start_mark(e);
  if (m && m->line >= 0 && m->column >= 0) {
    b->line = m->line + 1;
    b->col = m->column + 1;
  }
}

static QaYamlNode *newNode(Builder *b, int kind) {
  QaYamlNode *n = arenaAlloc(b->doc, sizeof *n);
  if (!n) return NULL;
  memset(n, 0, sizeof *n);
  n->doc = b->doc;
  n->kind = (unsigned char)kind;
  n->line = b->line;
  n->col = b->col;
  n->expanded = 1;
  return n;
}

static int countNodes(Builder *b, const QaYamlNode *at, uint64_t n) {
  b->n_nodes += n;
  if (b->n_nodes <= QA_YAML_NODES_MAX) return QA_OK;
  if (at->kind == KIND_ALIAS)
    return qaYamlFail(at, b->err, "YAML aliases expand to more than %d nodes", QA_YAML_NODES_MAX);
  return qaYamlFail(at, b->err, "the YAML document has more than %d nodes (aliases counted as copies)",
                    QA_YAML_NODES_MAX);
}

/* Remember anchor NAME -> node (a later anchor of the same name wins, as in YAML). */
static int addAnchor(Builder *b, struct fy_token *anchor, const QaYamlNode *node) {
  size_t len = 0;
  const char *name = anchor ? fy_token_get_text(anchor, &len) : NULL;
  if (!anchor) return QA_OK;
  if (!name) return oom(b);
  char *copy = arenaAlloc(b->doc, len + 1);
  if (!copy || !slotReserve(b->doc)) return oom(b);
  memcpy(copy, name, len);
  copy[len] = 0;
  uint64_t h = hashOf(b->doc, copy, len);
  Slot *s = slotFind(b->doc, b->doc, copy, len, h);
  if (!s->owner) b->doc->n_slots++;
  *s = (Slot){b->doc, copy, len, h, node, 0};
  return QA_OK;
}

/* Add a finished scalar/alias or a just-opened collection to the open collection (or make it
** the root), checking mapping keys. */
static int addChild(Builder *b, const QaYamlNode *child) {
  if (b->depth == 0) {
    b->doc->root = child;
    return QA_OK;
  }
  Frame *f = &b->stack[b->depth - 1];
  size_t k = b->n_scratch - f->first;
  const QaYamlNode *parent = f->node;
  if (k / (parent->kind == QA_YAML_MAP ? 2 : 1) >= QA_YAML_ITEMS_MAX)
    return qaYamlFail(child, b->err, "a YAML %s with more than %d entries",
                      parent->kind == QA_YAML_MAP ? "mapping" : "list", QA_YAML_ITEMS_MAX);
  if (parent->kind == QA_YAML_MAP && k % 2 == 0) {
    const QaYamlNode *key = res(child);
    if (key->kind != QA_YAML_SCALAR)
      return qaYamlFail(child, b->err, "a mapping key must be a plain word or string, not %s",
                        qaYamlKindName(key));
    size_t len = strlen(key->text);
    if (key->plain && !strcmp(key->text, "<<"))
      return qaYamlFail(child, b->err, "YAML merge keys (<<) are not supported; write the keys out");
    if (!slotReserve(b->doc)) return oom(b);
    uint64_t h = hashOf(parent, key->text, len);
    Slot *s = slotFind(b->doc, parent, key->text, len, h);
    if (s->owner)
      return qaYamlFail(child, b->err, "duplicate key '%s' (first at line %d)", quote(key->text).s,
                        s->node->line);
    *s = (Slot){parent, key->text, len, h, child, (uint32_t)(k / 2)};
    b->doc->n_slots++;
  }
  if (b->n_scratch == b->cap_scratch) {
    size_t cap = b->cap_scratch ? b->cap_scratch * 2 : 256;
    const QaYamlNode **s = realloc(b->scratch, cap * sizeof *s);
    if (!s) return oom(b);
    b->scratch = s;
    b->cap_scratch = cap;
  }
  b->scratch[b->n_scratch++] = child;
  return QA_OK;
}

static int onScalar(Builder *b, struct fy_event *e) {
  struct fy_token *t = fy_event_get_token(e);
  size_t len = 0;
  const char *text = t ? fy_token_get_text(t, &len) : "";
  if (!text) return oom(b);
  QaYamlNode *n = newNode(b, QA_YAML_SCALAR);
  char *copy = n ? arenaAlloc(b->doc, len + 1) : NULL;
  if (!copy) return oom(b);
  enum fy_scalar_style style = t ? fy_token_scalar_style(t) : FYSS_PLAIN;
  n->plain = style == FYSS_PLAIN;
  if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && n->col > 1)
    n->col--; /* libfyaml marks the first character inside the quotes: point at the quote */
  if (memchr(text, 0, len))
    return qaYamlFail(n, b->err, "a string with a NUL character (\\0) is not allowed");
  memcpy(copy, text, len);
  copy[len] = 0;
  n->text = copy;
  int rc;
  if ((rc = countNodes(b, n, 1)) || (rc = addAnchor(b, e->scalar.anchor, n))) return rc;
  return addChild(b, n);
}

static int onAlias(Builder *b, struct fy_event *e) {
  size_t len = 0;
  struct fy_token *t = e->alias.anchor;
  const char *name = t ? fy_token_get_text(t, &len) : NULL;
  if (!name) return oom(b);
  QaYamlNode *n = newNode(b, KIND_ALIAS);
  char *copy = n ? arenaAlloc(b->doc, len + 1) : NULL;
  if (!copy) return oom(b);
  memcpy(copy, name, len);
  copy[len] = 0;
  n->text = copy;
  if (n->col > 1) n->col--; /* libfyaml marks the name: point at the '*' */
  if (++b->n_aliases > QA_YAML_ALIASES_MAX)
    return qaYamlFail(n, b->err, "more than %d YAML alias references (*name)", QA_YAML_ALIASES_MAX);
  const Slot *s = b->doc->cap_slots ? slotFind(b->doc, b->doc, copy, len, hashOf(b->doc, copy, len)) : NULL;
  if (!s || !s->owner)
    return qaYamlFail(n, b->err, "alias '*%s' has no anchor '&%s' before it", quote(copy).s, quote(copy).s);
  if (s->node->open)
    return qaYamlFail(n, b->err, "alias '*%s' refers to a node that contains it (a recursive alias)",
                      quote(copy).s);
  n->target = s->node;
  n->expanded = s->node->expanded;
  int rc = countNodes(b, n, n->expanded);
  return rc ? rc : addChild(b, n);
}

static int onStart(Builder *b, struct fy_event *e, int kind) {
  QaYamlNode *n = newNode(b, kind);
  if (!n) return oom(b);
  if (b->depth == QA_YAML_DEPTH_MAX)
    return qaYamlFail(n, b->err, "YAML nesting deeper than %d levels", QA_YAML_DEPTH_MAX);
  n->open = 1;
  struct fy_token *anchor = kind == QA_YAML_MAP ? e->mapping_start.anchor : e->sequence_start.anchor;
  int rc;
  if ((rc = countNodes(b, n, 1)) || (rc = addAnchor(b, anchor, n)) || (rc = addChild(b, n))) return rc;
  b->stack[b->depth++] = (Frame){n, b->n_scratch};
  return QA_OK;
}

static int onEnd(Builder *b) {
  if (b->depth == 0) return qaErrSet(b->err, QA_EINTERNAL, "%s: YAML events out of order", b->doc->name);
  Frame *f = &b->stack[--b->depth];
  QaYamlNode *n = f->node;
  size_t k = b->n_scratch - f->first;
  if (n->kind == QA_YAML_MAP && k % 2)
    return qaErrSet(b->err, QA_EINTERNAL, "%s: a YAML mapping ended after a key", b->doc->name);
  n->items = arenaAlloc(b->doc, (k ? k : 1) * sizeof *n->items);
  if (!n->items) return oom(b);
  if (k) memcpy(n->items, b->scratch + f->first, k * sizeof *n->items);
  n->n = (uint32_t)(n->kind == QA_YAML_MAP ? k / 2 : k);
  uint64_t total = 1;
  for (size_t i = 0; i < k; i++) total += n->items[i]->expanded;
  n->expanded = (uint32_t)total; /* <= n_nodes <= QA_YAML_NODES_MAX */
  n->open = 0;
  b->n_scratch = f->first;
  return QA_OK;
}

/* libfyaml's first collected error as "NAME:LINE:COL: YAML syntax error: ...". */
static int syntaxError(Builder *b, struct fy_diag *diag) {
  void *it = NULL;
  struct fy_diag_error *de = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
  int line = de && de->line > 0 ? de->line : b->line;
  int col = de && de->column > 0 ? de->column : b->col;
  QaStrBuf m;
  qaStrBufInit(&m);
  const char *msg = de && de->msg ? de->msg : "the parser stopped";
  escapeTo(&m, msg, strcspn(msg, "\r\n"), 200);
  int rc = failAt(b->err, b->doc->name, line, col, "YAML syntax error: %s", qaStrBufText(&m));
  if (m.oom) rc = oom(b);
  qaStrBufFree(&m);
  return rc;
}

/* The parser's input: the text, handed out as libfyaml asks for it. Once it has taken more
** than QA_YAML_LOOKAHEAD_BYTES since the last event it returned, the feed ends early (EOF:
** returning an error here makes libfyaml 0.7.12 loop forever) and the load fails. */
typedef struct Feed {
  const char *text;
  size_t len, pos;
  size_t at_event; /* pos when the last event came out */
  int tripped;
} Feed;

static ssize_t feed(void *user, void *buf, size_t count) {
  Feed *f = user;
  if (f->tripped || f->pos - f->at_event > QA_YAML_LOOKAHEAD_BYTES) {
    f->tripped = 1;
    return 0;
  }
  size_t n = f->len - f->pos < count ? f->len - f->pos : count;
  memcpy(buf, f->text + f->pos, n);
  f->pos += n;
  return (ssize_t)n;
}

static void diagDiscard(struct fy_diag *diag, void *user, const char *buf, size_t len) {
  (void)diag, (void)user, (void)buf, (void)len;
}

/* Parse checked TEXT into doc. */
static int build(QaYamlDoc *doc, const char *text, size_t len, QaErr *err) {
  Builder b;
  memset(&b, 0, sizeof b);
  b.doc = doc;
  b.err = err;
  b.line = b.col = 1;
  int rc = QA_OK;
  struct fy_parser *fyp = NULL;
  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.output_fn = diagDiscard; /* nothing reaches stderr */
  dcfg.level = FYET_ERROR;
  dcfg.colorize = false;
  dcfg.show_source = false;
  struct fy_diag *diag = fy_diag_create(&dcfg);
  if (!diag) return oom(&b);
  fy_diag_set_collect_errors(diag, true);
  struct fy_parse_cfg pcfg;
  memset(&pcfg, 0, sizeof pcfg);
  pcfg.flags = FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS | FYPCF_JSON_NONE;
  pcfg.diag = diag;
  Feed in = {text, len, 0, 0, 0};
  fyp = fy_parser_create(&pcfg);
  if (!fyp || fy_parser_set_input_callback(fyp, &in, feed) != 0) {
    rc = oom(&b);
    goto end;
  }
  struct fy_event *e;
  while (rc == QA_OK && !in.tripped && (e = fy_parser_parse(fyp)) != NULL) {
    in.at_event = in.pos;
    position(&b, e);
    switch (e->type) {
      case FYET_DOCUMENT_START:
        if (++b.n_docs > 1) {
          const struct fy_mark *m = fy_event_start_mark(e);
          if (!m || m->line < 0) { /* an implicit start (after "..."): where its content begins */
            struct fy_event *next = fy_parser_parse(fyp);
            if (next) position(&b, next);
            fy_parser_event_free(fyp, next);
          }
          rc = failAt(err, doc->name, b.line, b.col, "a second YAML document is not allowed (one per file)");
        }
        break;
      case FYET_SCALAR:
        rc = onScalar(&b, e);
        break;
      case FYET_ALIAS:
        rc = onAlias(&b, e);
        break;
      case FYET_MAPPING_START:
        rc = onStart(&b, e, QA_YAML_MAP);
        break;
      case FYET_SEQUENCE_START:
        rc = onStart(&b, e, QA_YAML_SEQ);
        break;
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END:
        rc = onEnd(&b);
        break;
      default:
        break;
    }
    fy_parser_event_free(fyp, e);
  }
  if (rc == QA_OK && in.tripped)
    rc = failAt(err, doc->name, b.line, b.col,
                "more than %u KiB of YAML after this point without a complete value (one long "
                "[...] or {...}, string or run of comments); write long lists one '- item' per line",
                QA_YAML_LOOKAHEAD_BYTES >> 10);
  if (rc == QA_OK && fy_parser_get_stream_error(fyp)) rc = syntaxError(&b, diag);
  if (rc == QA_OK && b.depth)
    rc = qaErrSet(err, QA_EINTERNAL, "%s: the YAML parser stopped inside a collection", doc->name);
end:
  if (fyp) fy_parser_destroy(fyp);
  fy_diag_destroy(diag);
  free(b.scratch);
  return rc;
}

/* ---- loading ---------------------------------------------------------------------------- */

int qaYamlLoadString(const char *name, const char *text, size_t len, QaYamlDoc **out, QaErr *err) {
  int rc;
  QaStrBuf nb;
  *out = NULL;
  qaStrBufInit(&nb);
  escapeTo(&nb, name, strlen(name), (size_t)-1 / 8);
  if ((rc = qaStrBufCheck(&nb, err))) goto fail;
  if (len > QA_YAML_FILE_MAX_BYTES) {
    rc = qaErrSet(err, QA_EUSER, "%s: YAML text of %zu bytes is larger than the limit of %u MiB",
                  qaStrBufText(&nb), len, QA_YAML_FILE_MAX_BYTES >> 20);
    goto fail;
  }
  if ((rc = check(qaStrBufText(&nb), text, len, err))) goto fail;
  QaYamlDoc *doc = calloc(1, sizeof *doc);
  if (!doc) {
    rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory parsing YAML", qaStrBufText(&nb));
    goto fail;
  }
  doc->name = nb.s; /* the builder's text becomes the document's */
  if ((rc = build(doc, text, len, err))) {
    qaYamlDestroy(doc);
    return rc;
  }
  *out = doc;
  return QA_OK;
fail:
  qaStrBufFree(&nb);
  return rc;
}

int qaYamlLoadFile(const char *path, const char *what, QaYamlDoc **out, QaErr *err) {
  char *buf = NULL;
  size_t len = 0;
  *out = NULL;
  int rc = qaReadFileMax(path, QA_YAML_FILE_MAX_BYTES, what ? what : "file", &buf, &len, err);
  if (rc == QA_OK) rc = qaYamlLoadString(path, buf, len, out, err);
  free(buf);
  return rc;
}

void qaYamlDestroy(QaYamlDoc *doc) {
  if (!doc) return;
  for (Block *b = doc->blocks, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(doc->slots);
  free(doc->name);
  free(doc);
}

const QaYamlNode *qaYamlRoot(const QaYamlDoc *doc) { return doc ? doc->root : NULL; }
const char *qaYamlName(const QaYamlDoc *doc) { return doc->name ? doc->name : ""; }

/* ---- nodes ------------------------------------------------------------------------------ */

QaYamlKind qaYamlKind(const QaYamlNode *n) { return n ? (QaYamlKind)res(n)->kind : QA_YAML_NONE; }

int qaYamlIsNull(const QaYamlNode *n) {
  n = res(n);
  if (!n || n->kind != QA_YAML_SCALAR || !n->plain) return 0;
  const char *s = n->text;
  return !s[0] || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

const char *qaYamlKindName(const QaYamlNode *n) {
  switch (qaYamlKind(n)) {
    case QA_YAML_SEQ:
      return "a list";
    case QA_YAML_MAP:
      return "a mapping";
    case QA_YAML_SCALAR:
      return qaYamlIsNull(n) ? "an empty value" : "a scalar";
    default:
      return "nothing";
  }
}

int qaYamlLine(const QaYamlNode *n) { return n ? n->line : 0; }
int qaYamlColumn(const QaYamlNode *n) { return n ? n->col : 0; }

const char *qaYamlScalar(const QaYamlNode *n) {
  n = res(n);
  return n && n->kind == QA_YAML_SCALAR ? n->text : NULL;
}

int qaYamlCount(const QaYamlNode *n) {
  n = res(n);
  return n && (n->kind == QA_YAML_SEQ || n->kind == QA_YAML_MAP) ? (int)n->n : 0;
}

const QaYamlNode *qaYamlItem(const QaYamlNode *seq, int i) {
  seq = res(seq);
  return seq && seq->kind == QA_YAML_SEQ && i >= 0 && (uint32_t)i < seq->n ? seq->items[i] : NULL;
}

const QaYamlNode *qaYamlKeyAt(const QaYamlNode *map, int i) {
  map = res(map);
  return map && map->kind == QA_YAML_MAP && i >= 0 && (uint32_t)i < map->n ? map->items[2 * i] : NULL;
}

const QaYamlNode *qaYamlValueAt(const QaYamlNode *map, int i) {
  map = res(map);
  return map && map->kind == QA_YAML_MAP && i >= 0 && (uint32_t)i < map->n ? map->items[2 * i + 1] : NULL;
}

const QaYamlNode *qaYamlLookup(const QaYamlNode *map, const char *key) {
  map = res(map);
  if (!map || map->kind != QA_YAML_MAP || !map->doc->cap_slots || !key) return NULL;
  size_t len = strlen(key);
  const Slot *s = slotFind(map->doc, map, key, len, hashOf(map, key, len));
  return s->owner ? map->items[2 * s->index + 1] : NULL;
}

/* ---- typed getters ---------------------------------------------------------------------- */

/* The text of scalar v, or NULL after an error "WHAT must be KIND, not ...". */
static const char *scalarFor(const QaYamlNode *v, const char *what, const char *kind, QaErr *err) {
  const char *s = qaYamlScalar(v);
  if (!v) {
    qaErrSet(err, QA_EUSER, "%s is missing", what);
    return NULL;
  }
  int is_string = !strcmp(kind, "a string");
  if (!s || (qaYamlIsNull(v) && !is_string)) {
    qaYamlFail(v, err, "%s must be %s, not %s", what, kind, qaYamlKindName(v));
    return NULL;
  }
  return qaYamlIsNull(v) ? "" : s; /* a string that is an empty value (~, null) reads as "" */
}

int qaYamlGetText(const QaYamlNode *v, const char *what, const char **out, QaErr *err) {
  const char *s = scalarFor(v, what, "a string", err);
  if (!s) return QA_EUSER;
  *out = s;
  return QA_OK;
}

int qaYamlGetStr(const QaYamlNode *v, const char *what, char *out, size_t cap, QaErr *err) {
  const char *s = scalarFor(v, what, "a string", err);
  if (!s) return QA_EUSER;
  size_t len = strlen(s);
  if (len >= cap)
    return qaYamlFail(v, err, "%s is too long (at most %zu characters)", what, cap ? cap - 1 : 0);
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = utf8Char(p + i, len - i, &cp);
    if (!k || cp < 0x20 || isControl(cp))
      return qaYamlFail(v, err, "%s must be one line without control characters (got '%s')", what,
                        quote(s).s);
    i += k;
  }
  memcpy(out, s, len + 1);
  return QA_OK;
}

/* Numbers are read by base/parse.h (one definition of what a number is, shared with the
** command line); the messages here name the key and keep the network-file wording:
** "WHAT must be an integer (got 'x')", "WHAT = 17 is out of range [1, 16]". */

int qaYamlGetInt64(const QaYamlNode *v, const char *what, int64_t lo, int64_t hi, int64_t *out, QaErr *err) {
  const char *s = scalarFor(v, what, "an integer", err);
  int64_t val;
  if (!s) return QA_EUSER;
  if (qaParseInt64(s, NULL, lo, hi, &val, NULL) == QA_OK) {
    *out = val;
    return QA_OK;
  }
  /* an integer outside [lo, hi], or digits beyond int64 */
  const char *digits = s + (s[0] == '-');
  if (qaParseInt64(s, NULL, INT64_MIN, INT64_MAX, &val, NULL) == QA_OK ||
      (digits[0] && !digits[strspn(digits, "0123456789")]))
    return qaYamlFail(v, err, "%s = %s is out of range [%lld, %lld]", what, quote(s).s, (long long)lo,
                      (long long)hi);
  return qaYamlFail(v, err, "%s must be an integer (got '%s')", what, quote(s).s);
}

int qaYamlGetInt(const QaYamlNode *v, const char *what, int lo, int hi, int *out, QaErr *err) {
  int64_t val;
  int rc = qaYamlGetInt64(v, what, lo, hi, &val, err);
  if (rc == QA_OK) *out = (int)val;
  return rc;
}

int qaYamlGetDouble(const QaYamlNode *v, const char *what, double lo, double hi, double *out, QaErr *err) {
  const char *s = scalarFor(v, what, "a number", err);
  double val;
  if (!s) return QA_EUSER;
  if (qaParseDouble(s, NULL, lo, hi, &val, NULL) == QA_OK) {
    *out = val;
    return QA_OK;
  }
  if (qaParseDouble(s, NULL, -DBL_MAX, DBL_MAX, &val, NULL) == QA_OK)
    return qaYamlFail(v, err, "%s = %s is out of range [%g, %g]", what, quote(s).s, lo, hi);
  return qaYamlFail(v, err, "%s must be a finite number (got '%s')", what, quote(s).s);
}

int qaYamlGetBool(const QaYamlNode *v, const char *what, int *out, QaErr *err) {
  const char *s = scalarFor(v, what, "true or false", err);
  if (!s) return QA_EUSER;
  static const char *const words[] = {"true", "false", "yes", "no"};
  for (int i = 0; i < 4; i++) {
    if (strlen(s) != strlen(words[i])) continue;
    int same = 1;
    for (size_t j = 0; s[j] && same; j++) same = (s[j] | 0x20) == words[i][j];
    if (same) {
      *out = i % 2 == 0;
      return QA_OK;
    }
  }
  return qaYamlFail(v, err, "%s must be true or false (or yes/no) (got '%s')", what, quote(s).s);
}

int qaYamlGetInts(const QaYamlNode *v, const char *what, int n, int lo, int hi, int allow_scalar, int out[],
                  int *count, QaErr *err) {
  const char *alt = allow_scalar ? "an integer or " : "";
  if (!v) return qaErrSet(err, QA_EUSER, "%s is missing", what);
  if (allow_scalar && qaYamlKind(v) == QA_YAML_SCALAR) {
    int x;
    if (qaYamlGetInt(v, what, lo, hi, &x, err)) return QA_EUSER;
    for (int i = 0; i < n; i++) out[i] = x;
    if (count) *count = 1;
    return QA_OK;
  }
  if (qaYamlKind(v) != QA_YAML_SEQ)
    return qaYamlFail(v, err, "%s must be %sa list of %d integers, not %s", what, alt, n, qaYamlKindName(v));
  if (qaYamlCount(v) != n)
    return qaYamlFail(v, err, "%s must be %sa list of %d integers (got a list of %d)", what, alt, n,
                      qaYamlCount(v));
  int tmp[64];
  if (n > 64) return qaErrSet(err, QA_EINTERNAL, "qaYamlGetInts: n = %d is more than 64", n);
  for (int i = 0; i < n; i++)
    if (qaYamlGetInt(qaYamlItem(v, i), what, lo, hi, &tmp[i], err)) return QA_EUSER;
  memcpy(out, tmp, (size_t)n * sizeof *out);
  if (count) *count = n;
  return QA_OK;
}

/* ---- mappings with known keys ----------------------------------------------------------- */

int qaYamlReadMap(const QaYamlNode *map, const char *where, const char *const *keys, int n_keys,
                  QaYamlField *out, QaErr *err) {
  if (!map) return qaErrSet(err, QA_EUSER, "expected a mapping %s", where);
  if (qaYamlKind(map) != QA_YAML_MAP)
    return qaYamlFail(map, err, "expected a mapping %s, not %s", where, qaYamlKindName(map));
  for (int i = 0; i < n_keys; i++) out[i] = (QaYamlField){NULL, NULL};
  for (int e = 0; e < qaYamlCount(map); e++) {
    const QaYamlNode *k = qaYamlKeyAt(map, e);
    const char *ks = qaYamlScalar(k);
    int idx = -1;
    for (int i = 0; i < n_keys && idx < 0; i++)
      if (!strcmp(ks, keys[i])) idx = i;
    if (idx >= 0) {
      out[idx] = (QaYamlField){k, qaYamlValueAt(map, e)};
      continue;
    }
    QaStrBuf b;
    qaStrBufInit(&b);
    qaStrBufJoin(&b, keys, n_keys, ", ");
    const char *near = qaStrClosest(ks, keys, n_keys, 2);
    int rc = qaYamlFail(k, err, "unknown key '%s' %s (known: %s)%s%s%s", quote(ks).s, where, qaStrBufText(&b),
                        near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    if (qaStrBufCheck(&b, err)) rc = QA_EINTERNAL;
    qaStrBufFree(&b);
    return rc;
  }
  return QA_OK;
}

int qaYamlMissing(const QaYamlNode *map, const char *key, const char *where, QaErr *err) {
  if (!map) return qaErrSet(err, QA_EUSER, "missing required key '%s' %s", key, where);
  return qaYamlFail(map, err, "missing required key '%s' %s", key, where);
}
