/* The scan plan of src/redact/engine.ts (trigger literals, word-start loop, own passes) and its overlap resolution. */
#include <stdlib.h>
#include <string.h>

#include "redact.h"

/* A match of `re` at or after `from` (anchored patterns: exactly at `from`). */
bool regex_match(const scanner_t *sc, pcre2_match_data *md, pcre2_code *re, const subject_t *sub, size_t from, match_t *m) {
  int rc = pcre2_match(re, sub->s, sub->n, from, 0, md, sc->mctx);
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
  int rc = pcre2_match(re, s, n, 0, 0, sc->md_aux, sc->mctx);
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

/* Runs the rule's anchored regex at q and records what `locate` accepts; updates the rule's resume point. */
static void try_at(scanner_t *sc, const subject_t *sub, int k, size_t q, candidates_t *out) {
  rule_t *r = &sc->rules[k];
  match_t m;
  if (!regex_match(sc, sc->md, r->anchored, sub, q, &m)) return;
  if (k == sc->private_key_rule && sc->private_key_body_group > 0) {
    int g = sc->private_key_body_group;
    if (m.ov[2 * g] != PCRE2_UNSET && m.ov[2 * g + 1] - m.ov[2 * g] > sc->private_key_body_limit) {
      if (!regex_match(sc, sc->md, sc->private_key_fallback, sub, q, &m)) return;
    }
  }
  size_t mlen = m.ov[1] - m.ov[0];
  located_t loc = {0, 0, -1, -1};
  if (!r->locate(sc, sub, &m, k, &loc) || loc.end <= loc.start) {
    r->resume = q + 1;
    return;
  }
  push(out, loc.start, loc.end, loc.type < 0 ? r->type : loc.type, loc.specificity < 0 ? r->specificity : loc.specificity);
  r->resume = q + mlen > loc.end ? q + mlen : loc.end;
}

static inline int fold(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int scan_unit(scanner_t *sc, const subject_t *sub, bool resolve, candidates_t *out) {
  const uint8_t *s = sub->s;
  const size_t n = sub->n;
  sc->error = 0;
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

  /* One loop for trigger literals and word starts. */
  uint32_t allowed = sc->after_bits[32];
  for (size_t p = 0; p < n; p++) {
    const int c = s[p];
    const int c1 = p + 1 < n ? s[p + 1] : 0;
    /* trigger literals */
    const unsigned key = ((unsigned)fold(c) << 8) | (unsigned)fold(c1);
    if (sc->pair_any[key >> 3] & (1u << (key & 7))) {
      uint64_t mask = 0;
      for (unsigned i = sc->first_off[fold(c)]; i < sc->first_off[fold(c) + 1]; i++) {
        const literal_t *lit = &sc->literals[sc->first_lits[i]];
        if (lit->len > n - p) continue;
        size_t j = 0;
        if (lit->caseless) {
          while (j < lit->len && fold(s[p + j]) == lit->bytes[j]) j++;
        } else {
          while (j < lit->len && s[p + j] == lit->bytes[j]) j++;
        }
        if (j == lit->len) mask |= lit->rules;
      }
      while (mask != 0) {
        int k = __builtin_ctzll(mask);
        mask &= mask - 1;
        if (p >= sc->rules[k].resume) try_at(sc, sub, k, p, out);
      }
    }
    /* word starts */
    uint32_t bits = sc->first_bits[c] & allowed;
    allowed = sc->after_bits[c];
    if (bits == 0) continue;
    const int c2 = p + 2 < n ? s[p + 2] : 0;
    bits &= sc->next_bits[c1] & sc->next2_bits[c2];
    while (bits != 0) {
      int w = 31 - __builtin_clz(bits);
      bits ^= 1u << w;
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
  qsort(c->items, c->len, sizeof *c->items, by_position);
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
