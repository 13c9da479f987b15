/* The scan plan of src/redact/engine.ts (trigger literals, word-start loop, own passes) and its overlap resolution. */
#include <stdlib.h>
#include <string.h>

#include "redact.h"

/* A match of `re` at or after `from` (anchored patterns: exactly at `from`). */
bool regex_match(const scanner_t *sc, pcre2_match_data *md, pcre2_code *re, const subject_t *sub, size_t from, match_t *m) {
  int rc = sc->jit ? pcre2_jit_match(re, sub->s, sub->n, from, 0, md, sc->mctx)
                   : pcre2_match(re, sub->s, sub->n, from, 0, md, sc->mctx);
  if (rc < 0) {
    if (rc != PCRE2_ERROR_NOMATCH) ((scanner_t *)sc)->error = rc;
    return false;
  }
  m->ov = pcre2_get_ovector_pointer(md);
  m->pairs = pcre2_get_ovector_count(md);
  return true;
}

bool regex_match_slice(const scanner_t *sc, pcre2_code *re, const uint8_t *s, size_t n) {
  /* Separate match data: the caller's match (sc->md) is still being read. */
  int rc = sc->jit ? pcre2_jit_match(re, s, n, 0, 0, sc->md_aux, sc->mctx) : pcre2_match(re, s, n, 0, 0, sc->md_aux, sc->mctx);
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) ((scanner_t *)sc)->error = rc;
  return rc >= 0;
}

static void push(candidates_t *c, size_t start, size_t end, int type, int spec) {
  if (c->len == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 1024;
    candidate_t *items = realloc(c->items, cap * sizeof *items);
    if (items == NULL) {
      c->oom = true;
      return;
    }
    c->items = items;
    c->cap = cap;
  }
  c->items[c->len++] = (candidate_t){start, end, type, spec};
}

/* Records what the rule's `locate` accepts of match m (at q) and moves the rule's resume point as its global pass would. */
static void accept_match(scanner_t *sc, const subject_t *sub, int k, size_t q, const match_t *m, candidates_t *out) {
  rule_t *r = &sc->rules[k];
  size_t mlen = m->ov[1] - m->ov[0];
  located_t loc = {0, 0, -1, -1};
  if (!r->locate(sc, sub, m, k, &loc) || loc.end <= loc.start) {
    r->resume = q + 1;
    return;
  }
  push(out, loc.start, loc.end, loc.type < 0 ? r->type : loc.type, loc.specificity < 0 ? r->specificity : loc.specificity);
  r->resume = q + mlen > loc.end ? q + mlen : loc.end;
}

/* Runs the rule's anchored regex at q (unless its precheck says it cannot match there). */
static void try_at(scanner_t *sc, const subject_t *sub, int k, size_t q, candidates_t *out) {
  match_t m;
  if (sc->rules[k].precheck != NULL && !sc->rules[k].precheck(sc, sub, q)) return; /* as a failed match */
  if (!regex_match(sc, sc->md, sc->rules[k].anchored, sub, q, &m)) return;
  if (k == sc->private_key_rule && sc->private_key_body_group > 0) {
    int g = sc->private_key_body_group;
    if (m.ov[2 * g] != PCRE2_UNSET && m.ov[2 * g + 1] - m.ov[2 * g] > sc->private_key_body_limit) {
      if (!regex_match(sc, sc->md, sc->private_key_fallback, sub, q, &m)) return;
    }
  }
  accept_match(sc, sub, k, q, &m, out);
}

/* Branch-free ASCII lower-casing (the literal tables are folded the same way). */
static inline int fold(int c) { return c | ((unsigned)(c - 'A') < 26u) << 5; }
/* Whether the literal's bytes from `from` on match at s[p + from …] (case-folded when it is caseless). */
static inline bool literal_rest_matches(const literal_t *lit, const uint8_t *s, size_t n, size_t p, size_t from) {
  if (lit->len > n - p) return false;
  size_t j = from;
  if (lit->caseless) {
    while (j < lit->len && fold(s[p + j]) == lit->bytes[j]) j++;
  } else {
    while (j < lit->len && s[p + j] == lit->bytes[j]) j++;
  }
  return j == lit->len;
}

static inline bool hex_digit(int c) {
  return (unsigned)(c - '0') < 10u || (unsigned)((c | 32) - 'a') < 6u;
}
static inline bool label_char(int c) {
  return (unsigned)(c - '0') < 10u || (unsigned)((c | 32) - 'a') < 26u || c == '-';
}

/* `::|:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:` at p (s[p] is ':'): the match length, or 0. A hex run longer than four
   cannot be followed by ':' within the quantifier, so the greedy count decides. */
static size_t anchor_ipv6(const subject_t *sub, size_t p) {
  ptrdiff_t q = (ptrdiff_t)p;
  if (at(sub, q + 1) == ':') return 2;
  q++;
  for (int group = 0; group < 2; group++) {
    int k = 0;
    while (k < 4 && hex_digit(at(sub, q + k))) k++;
    if (k == 0 || at(sub, q + k) != ':') return 0;
    q += k + 1;
  }
  return (size_t)q - p;
}

/* `\.(?:label|…)(?![A-Za-z0-9_-]|\.[A-Za-z0-9])` (case-insensitive) at p (s[p] is '.'): the match length, or 0.
   Labels are [a-z0-9-]+, so a label followed by none of [A-Za-z0-9-] is the whole run after the dot. */
static size_t anchor_hostname(const scanner_t *sc, const subject_t *sub, size_t p) {
  const size_t max = sc->hostname_labels.max_len;
  size_t len = 0;
  while (len <= max && label_char(at(sub, (ptrdiff_t)(p + 1 + len)))) len++;
  if (len == 0 || len > max) return 0;
  int next = at(sub, (ptrdiff_t)(p + 1 + len));
  if (next == '_') return 0;
  if (next == '.') {
    int after = at(sub, (ptrdiff_t)(p + 2 + len));
    if (after >= 0 && label_char(after) && after != '-') return 0;
  }
  return strset_has(&sc->hostname_labels, sub->s + p + 1, len) ? 1 + len : 0;
}

static void try_anchor(scanner_t *sc, const subject_t *sub, int k, size_t p, size_t len, candidates_t *out) {
  if (len == 0) return;
  PCRE2_SIZE ov[2] = {p, p + len};
  match_t m = {ov, 1};
  accept_match(sc, sub, k, p, &m, out);
}

void scanner_prepare(scanner_t *sc) {
  for (int c = 0; c < 256; c++) {
    uint8_t cls = 0;
    int f = fold(c);
    if (sc->first_off[f] < sc->first_off[f + 1]) cls |= 1;
    if (c == ':' && sc->ipv6_rule >= 0) cls |= 2;
    if (c == '.' && sc->hostname_rule >= 0) cls |= 4;
    sc->byte_class[c] = cls;
  }
  for (unsigned c = 0; c < 256; c++) {
    for (unsigned c1 = 0; c1 < 256; c1++) {
      const unsigned key = ((unsigned)fold((int)c) << 8) | (unsigned)fold((int)c1);
      const bool literal = (sc->byte_class[c] & 1) && (sc->pair_any[key >> 3] >> (key & 7) & 1);
      const bool word = (sc->first_bits[c] & sc->next_bits[c1]) != 0;
      sc->pair_filter[c << 8 | c1] = (uint8_t)((literal || (sc->byte_class[c] & 6) != 0) | (word ? 2 : 0));
    }
  }
}

int scan_unit(scanner_t *sc, const subject_t *sub, bool resolve, candidates_t *out) {
  const uint8_t *s = sub->s;
  const size_t n = sub->n;
  sc->error = 0;
  sc->token_from = sc->token_end = 0;
  sc->eq_from = sc->eq_at = sc->nl_from = sc->nl_at = 0;
  out->len = 0;
  out->oom = false;
  for (int k = 0; k < sc->nrules; k++) sc->rules[k].resume = 0;

  /* Own passes: a global search each (IPv6, Hostname). */
  for (int f = 0; f < sc->nfull; f++) {
    int k = sc->full[f];
    rule_t *r = &sc->rules[k];
    size_t last = 0;
    match_t m;
    while (last <= n && regex_match(sc, sc->md, r->global, sub, last, &m)) {
      size_t mi = m.ov[0], me = m.ov[1];
      located_t loc = {0, 0, -1, -1};
      if (!r->locate(sc, sub, &m, k, &loc) || loc.end <= loc.start) {
        last = mi + 1;
      } else {
        push(out, loc.start, loc.end, loc.type < 0 ? r->type : loc.type, loc.specificity < 0 ? r->specificity : loc.specificity);
        last = loc.end > me ? loc.end : me;
        if (me == mi && last == mi) last = mi + 1;
      }
    }
  }

  /* One loop for trigger literals, the IPv6 and Hostname anchors, and word starts. Most positions start nothing: a
     lookup on the byte pair there (pair_filter: bit 0 a literal or anchor, bit 1 a word start, which also needs the
     previous byte to allow one: after_any) rules them out in a tight skip loop; the positions that pass get the full
     checks. */
  uint8_t after_any[256];
  for (int c = 0; c < 256; c++) after_any[c] = sc->after_bits[c] != 0 ? 2 : 0;
  unsigned prev = after_any[' '];
  for (size_t p = 0; p < n; p++) {
    int c, c1;
    if (p + 1 < n) {
      /* The hot path: a branch-free run of the filter while positions start nothing. */
      const uint8_t *filter = sc->pair_filter;
      unsigned fp = prev;
      size_t q = p;
      const size_t last = n - 1;
      while (q < last && (filter[(unsigned)s[q] << 8 | s[q + 1]] & (1u | fp)) == 0) fp = after_any[s[q++]];
      p = q;
      prev = fp;
      c = s[p];
      c1 = p + 1 < n ? s[p + 1] : 0;
    } else {
      c = s[p];
      c1 = 0;
    }
    const unsigned f = sc->pair_filter[(unsigned)c << 8 | (unsigned)c1] & (1u | prev);
    prev = after_any[c];
    if (f == 0) continue;
    const int c2 = p + 2 < n ? s[p + 2] : 0;
    const unsigned cls = sc->byte_class[c];
    const unsigned key = ((unsigned)fold(c) << 8) | (unsigned)fold(c1);
    const unsigned pair = (sc->pair_any[key >> 3] >> (key & 7)) & cls & 1u;
    /* At p = 0 nothing precedes: a space stands in (rules.ts wordStart). */
    const uint32_t allowed = sc->after_bits[p > 0 ? s[p - 1] : ' '];
    const uint32_t bits = sc->first_bits[c] & allowed & sc->next_bits[c1] & sc->next2_bits[c2];
    if (cls != 0) {
      if (pair) {
        uint64_t mask = 0;
        const int f = fold(c);
        if (p + 4 <= n) {
          /* Compare four bytes at once: the literal's head against the word here (ASCII-folded for caseless ones). */
          uint32_t word;
          memcpy(&word, s + p, 4);
          const uint32_t low7 = word & 0x7f7f7f7fu;
          const uint32_t upper = (low7 + 0x3f3f3f3fu) & ~(low7 + 0x25252525u) & ~word & 0x80808080u;
          const uint32_t folded = word | (upper >> 2);
          for (uint32_t i = sc->pair_off[key], e = sc->pair_off[key + 1]; i < e; i++) {
            const literal_t *lit = &sc->literals[sc->pair_lits[i]];
            if (((lit->caseless ? folded : word) & lit->head_mask) != lit->head) continue;
            if (lit->len > 4 && !literal_rest_matches(lit, s, n, p, 4)) continue;
            mask |= lit->rules;
          }
        } else {
          for (unsigned i = sc->first_off[f]; i < sc->first_off[f + 1]; i++) {
            const literal_t *lit = &sc->literals[sc->first_lits[i]];
            if (literal_rest_matches(lit, s, n, p, 0)) mask |= lit->rules;
          }
        }
        while (mask != 0) {
          int k = __builtin_ctzll(mask);
          mask &= mask - 1;
          if (p >= sc->rules[k].resume) try_at(sc, sub, k, p, out);
        }
      }
      if ((cls & 2) && p >= sc->rules[sc->ipv6_rule].resume) try_anchor(sc, sub, sc->ipv6_rule, p, anchor_ipv6(sub, p), out);
      if ((cls & 4) && p >= sc->rules[sc->hostname_rule].resume)
        try_anchor(sc, sub, sc->hostname_rule, p, anchor_hostname(sc, sub, p), out);
    }
    /* word starts */
    uint32_t ws = bits;
    while (ws != 0) {
      int w = 31 - __builtin_clz(ws);
      ws ^= 1u << w;
      int k = sc->ws_rule[w];
      rule_t *r = &sc->rules[k];
      if (p < r->resume || !r->check(sub, p)) continue;
      size_t q = r->match_at == NULL ? p : r->match_at(sub, p);
      if (q < r->resume) continue;
      try_at(sc, sub, k, q, out);
    }
  }
  if (out->oom) return -1;
  if (sc->error != 0) return sc->error;
  if (resolve) resolve_overlaps(sc, out);
  return out->oom ? -1 : 0;
}

/* ---- overlap resolution (src/redact/resolve.ts) ---- */
static _Thread_local const scanner_t *sort_sc; /* qsort has no context argument; one scan per thread at a time */

static int better(const candidate_t *a, const candidate_t *b) {
  ptrdiff_t la = (ptrdiff_t)(a->end - a->start), lb = (ptrdiff_t)(b->end - b->start);
  if (lb != la) return lb > la ? 1 : -1;
  if (b->specificity != a->specificity) return b->specificity > a->specificity ? 1 : -1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  int ra = sort_sc->type_rank[a->type], rb = sort_sc->type_rank[b->type];
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}
static int by_position(const void *x, const void *y) {
  const candidate_t *a = x, *b = y;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->end != b->end) return b->end < a->end ? -1 : 1;
  return better(a, b);
}
static int by_rank(const void *x, const void *y) { return better(x, y); }
static int by_start(const void *x, const void *y) {
  const candidate_t *a = x, *b = y;
  return a->start < b->start ? -1 : a->start > b->start ? 1 : 0;
}

/* Candidates arrive almost in order (by trigger position; `locate` moves a start back by at most a few hundred
   bytes): insertion sort, with qsort as the bound when the input is far from sorted. */
static void sort_by_position(candidate_t *a, size_t n) {
  size_t moves = 0;
  for (size_t i = 1; i < n; i++) {
    candidate_t x = a[i];
    size_t j = i;
    while (j > 0 && by_position(&a[j - 1], &x) > 0) {
      a[j] = a[j - 1];
      j--;
      if (++moves > 16 * n + 1024) {
        a[j] = x;
        qsort(a, n, sizeof *a, by_position);
        return;
      }
    }
    a[j] = x;
  }
}

/* Best first, then the best of those not overlapping the chosen ones; `cl` is reordered in place. Returns the count. */
static size_t pick_non_overlapping(candidate_t *cl, size_t len) {
  qsort(cl, len, sizeof *cl, by_rank);
  size_t chosen = 0;
  for (size_t i = 0; i < len; i++) {
    bool free = true;
    for (size_t k = 0; k < chosen && free; k++) free = cl[i].end <= cl[k].start || cl[i].start >= cl[k].end;
    if (free) cl[chosen++] = cl[i];
  }
  qsort(cl, chosen, sizeof *cl, by_start);
  return chosen;
}

void resolve_overlaps(const scanner_t *sc, candidates_t *c) {
  if (c->len <= 1) return;
  sort_sc = sc;
  sort_by_position(c->items, c->len);
  size_t w = 0, i = 0;
  while (i < c->len) {
    size_t j = i + 1;
    size_t cluster_end = c->items[i].end;
    while (j < c->len && c->items[j].start < cluster_end) {
      if (c->items[j].end > cluster_end) cluster_end = c->items[j].end;
      j++;
    }
    size_t kept = j - i == 1 ? 1 : pick_non_overlapping(c->items + i, j - i);
    memmove(c->items + w, c->items + i, kept * sizeof *c->items);
    w += kept;
    i = j;
  }
  c->len = w;
}
