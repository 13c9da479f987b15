/*
 * N-API glue: createScanner(spec) compiles the rules src/redact/native.ts describes; scan() returns candidate or
 * resolved spans; redact() returns the rebuilt bytes and the spans. Errors are thrown as JS errors that name the
 * rule or the PCRE2 code, never any input.
 */
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

#define CHECK(env, call)                                       \
  do {                                                         \
    if ((call) != napi_ok) {                                   \
      napi_throw_error((env), NULL, "redact native: " #call); \
      return NULL;                                             \
    }                                                          \
  } while (0)

typedef struct {
  scanner_t sc;
  char **type_names;
  size_t type_len[MAX_RULES * 2];
  int ntypes;
  candidates_t cand;
} handle_t;

static void free_list(char **list, size_t n) {
  if (list == NULL) return;
  for (size_t i = 0; i < n; i++) free(list[i]);
  free(list);
}

static void handle_free(handle_t *h) {
  scanner_t *sc = &h->sc;
  for (int k = 0; k < sc->nrules; k++) {
    pcre2_code_free(sc->rules[k].anchored);
    pcre2_code_free(sc->rules[k].global);
  }
  pcre2_code_free(sc->placeholder);
  pcre2_code_free(sc->replacement_token);
  pcre2_code_free(sc->java_root_package);
  pcre2_code_free(sc->version_context);
  pcre2_code_free(sc->ipv6_body);
  pcre2_code_free(sc->private_key_fallback);
  pcre2_match_data_free(sc->md);
  pcre2_match_data_free(sc->md_aux);
  pcre2_match_context_free(sc->mctx);
  pcre2_jit_stack_free(sc->jit_stack);
  free(sc->literals);
  free(sc->first_lits);
  free(sc->pair_lits);
  free(sc->pair_off);
  strset_free(&sc->tlds);
  strset_free(&sc->stopwords);
  strset_free(&sc->db_schemes);
  strset_free(&sc->hostname_labels);
  free_list(sc->internal_suffixes, sc->nsuffixes);
  free_list(h->type_names, (size_t)h->ntypes);
  free(h->cand.items);
  free(h);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  handle_free(data);
}

/* ---- reading the spec ---- */

static bool get_prop(napi_env env, napi_value obj, const char *key, napi_value *out) {
  bool has = false;
  if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has) return false;
  if (napi_get_named_property(env, obj, key, out) != napi_ok) return false;
  napi_valuetype t;
  napi_typeof(env, *out, &t);
  return t != napi_undefined && t != napi_null;
}

/* A string's code units as Latin-1 bytes (the spec only carries Latin-1 text), NUL-terminated; NULL on error. */
static char *latin1(napi_env env, napi_value v, size_t *len) {
  size_t n = 0;
  if (napi_get_value_string_latin1(env, v, NULL, 0, &n) != napi_ok) return NULL;
  char *buf = malloc(n + 1);
  if (buf == NULL) return NULL;
  napi_get_value_string_latin1(env, v, buf, n + 1, &n);
  if (len) *len = n;
  return buf;
}

static char *prop_string(napi_env env, napi_value obj, const char *key, size_t *len) {
  napi_value v;
  return get_prop(env, obj, key, &v) ? latin1(env, v, len) : NULL;
}

static bool prop_int(napi_env env, napi_value obj, const char *key, int *out) {
  napi_value v;
  int32_t i;
  if (!get_prop(env, obj, key, &v) || napi_get_value_int32(env, v, &i) != napi_ok) return false;
  *out = i;
  return true;
}

static bool prop_bool(napi_env env, napi_value obj, const char *key) {
  napi_value v;
  bool b = false;
  if (get_prop(env, obj, key, &v)) napi_get_value_bool(env, v, &b);
  return b;
}

static char **prop_strings(napi_env env, napi_value obj, const char *key, size_t *count) {
  napi_value arr;
  uint32_t n = 0;
  *count = 0;
  if (!get_prop(env, obj, key, &arr) || napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char **list = calloc(n ? n : 1, sizeof *list);
  if (list == NULL) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, arr, i, &e);
    list[i] = latin1(env, e, NULL);
    if (list[i] == NULL) {
      free_list(list, i);
      return NULL;
    }
  }
  *count = n;
  return list;
}

static bool prop_set(napi_env env, napi_value obj, const char *key, strset_t *set) {
  size_t n = 0;
  char **items = prop_strings(env, obj, key, &n);
  if (items == NULL) return false;
  if (strset_init(set, items, n)) return true;
  free_list(items, n);
  return false;
}

/* The Hostname anchor can run in the byte loop when every label is [a-z0-9-]+ (see anchor_hostname in engine.c). */
static bool simple_labels(const strset_t *set) {
  for (size_t k = 0; k < set->n; k++) {
    const char *l = set->items[k];
    if (*l == 0) return false;
    for (; *l; l++)
      if (!((*l >= 'a' && *l <= 'z') || (*l >= '0' && *l <= '9') || *l == '-')) return false;
  }
  return true;
}

/* The pattern the IPv6 in-loop anchor (anchor_ipv6 in engine.c) implements. */
static const char IPV6_ANCHOR[] = "::|:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:";
/* How the Hostname anchor (rules.ts hostnameAnchor) ends: after `\.(?:label|label|…` */
static const char HOST_TAIL[] = ")(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])";

/* Cleared when any pattern could not be JIT-compiled: pcre2_jit_match may then not be used (see regex_match). */
static _Thread_local bool all_jit;

static pcre2_code *compile(napi_env env, const char *source, size_t len, bool caseless, bool anchored, const char *what) {
  int err = 0;
  PCRE2_SIZE off = 0;
  /* Anchored patterns run at one position each: PCRE2's start-up optimisations would first search the rest of the
     unit for a code unit the pattern needs (a '.', an '@'), which makes a unit full of trigger literals quadratic. */
  uint32_t opts = PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_UNSET_BACKREF | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP |
                  (caseless ? PCRE2_CASELESS : 0) | (anchored ? PCRE2_ANCHORED | PCRE2_NO_START_OPTIMIZE : 0);
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)source, len, opts, &err, &off, NULL);
  if (re == NULL) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(err, msg, sizeof msg);
    char text[320];
    snprintf(text, sizeof text, "redact native: cannot compile the %s pattern at offset %zu: %s", what, (size_t)off, (char *)msg);
    napi_throw_error(env, NULL, text);
    return NULL;
  }
  if (pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0) all_jit = false; /* the interpreter then runs it */
  return re;
}

static pcre2_code *prop_regex(napi_env env, napi_value obj, const char *key, bool caseless, bool anchored) {
  size_t len = 0;
  char *src = prop_string(env, obj, key, &len);
  if (src == NULL) {
    char text[120];
    snprintf(text, sizeof text, "redact native: spec.%s is missing", key);
    napi_throw_error(env, NULL, text);
    return NULL;
  }
  pcre2_code *re = compile(env, src, len, caseless, anchored, key);
  free(src);
  return re;
}

static void set_bits(uint32_t *table, const char *chars, uint32_t bit) {
  for (const unsigned char *c = (const unsigned char *)chars; *c; c++) table[*c] |= bit;
}

static inline int fold(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static bool add_literal(scanner_t *sc, int *cap, const char *text, size_t len, bool caseless, int rule) {
  if (len == 0 || len > sizeof sc->literals[0].bytes) return false;
  for (int i = 0; i < sc->nliterals; i++) {
    literal_t *l = &sc->literals[i];
    if (l->len == len && l->caseless == caseless && memcmp(l->bytes, text, len) == 0) {
      l->rules |= 1ull << rule;
      return true;
    }
  }
  if (sc->nliterals == *cap) {
    int ncap = *cap ? *cap * 2 : 64;
    literal_t *more = realloc(sc->literals, (size_t)ncap * sizeof *more);
    if (more == NULL) return false;
    sc->literals = more;
    *cap = ncap;
  }
  literal_t *l = &sc->literals[sc->nliterals++];
  memset(l, 0, sizeof *l);
  for (size_t i = 0; i < len; i++) l->bytes[i] = (uint8_t)(caseless ? fold((unsigned char)text[i]) : text[i]);
  l->len = len;
  l->caseless = caseless;
  l->rules = 1ull << rule;
  for (size_t i = 0; i < 4 && i < len; i++) {
    l->head |= (uint32_t)l->bytes[i] << (8 * i);
    l->head_mask |= 0xffu << (8 * i);
  }
  return true;
}

static bool index_literals(scanner_t *sc) {
  sc->first_lits = malloc((size_t)(sc->nliterals ? sc->nliterals : 1) * sizeof *sc->first_lits);
  if (sc->first_lits == NULL) return false;
  unsigned w = 0;
  for (int c = 0; c < 256; c++) {
    sc->first_off[c] = (uint16_t)w;
    for (int i = 0; i < sc->nliterals; i++) {
      literal_t *l = &sc->literals[i];
      if (fold(l->bytes[0]) != c) continue;
      sc->first_lits[w++] = (uint16_t)i;
      for (int c1 = 0; c1 < 256; c1++) {
        if (l->len >= 2 && fold(c1) != fold(l->bytes[1])) continue;
        unsigned key = ((unsigned)c << 8) | (unsigned)fold(c1);
        sc->pair_any[key >> 3] |= (uint8_t)(1u << (key & 7));
      }
    }
  }
  sc->first_off[256] = (uint16_t)w;
  /* The same by pair: a literal of one byte is listed under every second byte. */
  sc->pair_off = calloc(65537, sizeof *sc->pair_off);
  size_t total = 0;
  for (int i = 0; i < sc->nliterals; i++) total += sc->literals[i].len >= 2 ? 1 : 256;
  sc->pair_lits = malloc((total ? total : 1) * sizeof *sc->pair_lits);
  if (sc->pair_off == NULL || sc->pair_lits == NULL) return false;
  for (int i = 0; i < sc->nliterals; i++) {
    literal_t *l = &sc->literals[i];
    unsigned key = (unsigned)fold(l->bytes[0]) << 8;
    if (l->len >= 2) sc->pair_off[key + (unsigned)fold(l->bytes[1]) + 1]++;
    else
      for (unsigned c1 = 0; c1 < 256; c1++) sc->pair_off[key + c1 + 1]++;
  }
  for (unsigned key = 0; key < 65536; key++) sc->pair_off[key + 1] += sc->pair_off[key];
  uint32_t *fill = calloc(65536, sizeof *fill);
  if (fill == NULL) return false;
  for (int i = 0; i < sc->nliterals; i++) { /* in literal order within each key */
    literal_t *l = &sc->literals[i];
    unsigned key = (unsigned)fold(l->bytes[0]) << 8;
    for (unsigned c1 = 0; c1 < 256; c1++) {
      if (l->len >= 2 && c1 != (unsigned)fold(l->bytes[1])) continue;
      sc->pair_lits[sc->pair_off[key + c1] + fill[key + c1]++] = (uint16_t)i;
    }
  }
  free(fill);
  return true;
}

static napi_value fail(napi_env env, handle_t *h, const char *msg) {
  if (msg) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, NULL, msg);
  }
  handle_free(h);
  return NULL;
}

static napi_value create_scanner(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value spec;
  CHECK(env, napi_get_cb_info(env, info, &argc, &spec, NULL, NULL));
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "createScanner(spec)");
    return NULL;
  }
  handle_t *h = calloc(1, sizeof *h);
  if (h == NULL) return fail(env, h, "redact native: out of memory");
  all_jit = true;
  scanner_t *sc = &h->sc;
  sc->private_key_rule = -1;

  size_t ntypes = 0;
  h->type_names = prop_strings(env, spec, "types", &ntypes);
  h->ntypes = (int)ntypes;
  if (h->type_names == NULL || ntypes == 0 || ntypes > MAX_RULES * 2) return fail(env, h, "redact native: spec.types");
  sc->ntypes = (int)ntypes;
  for (size_t t = 0; t < ntypes; t++) h->type_len[t] = strlen(h->type_names[t]);
  napi_value ranks;
  if (!get_prop(env, spec, "typeRank", &ranks)) return fail(env, h, "redact native: spec.typeRank");
  for (uint32_t i = 0; i < ntypes; i++) {
    napi_value e;
    int32_t r = 0;
    napi_get_element(env, ranks, i, &e);
    napi_get_value_int32(env, e, &r);
    sc->type_rank[i] = r;
  }

  sc->ipv6_rule = sc->hostname_rule = -1;
  sc->internal_suffixes = prop_strings(env, spec, "internalSuffixes", &sc->nsuffixes);
  if (!sc->internal_suffixes || !prop_set(env, spec, "tlds", &sc->tlds) || !prop_set(env, spec, "stopwords", &sc->stopwords) ||
      !prop_set(env, spec, "dbSchemes", &sc->db_schemes) || !prop_set(env, spec, "hostnameLabels", &sc->hostname_labels))
    return fail(env, h, "redact native: spec tables (tlds, internalSuffixes, stopwords, dbSchemes, hostnameLabels)");
  napi_value iban;
  uint32_t niban = 0;
  if (!get_prop(env, spec, "ibanLengths", &iban) || napi_get_array_length(env, iban, &niban) != napi_ok || niban != 26 * 26)
    return fail(env, h, "redact native: spec.ibanLengths");
  for (uint32_t i = 0; i < niban; i++) {
    napi_value e;
    int32_t v = 0;
    napi_get_element(env, iban, i, &e);
    napi_get_value_int32(env, e, &v);
    sc->iban_len[i] = (uint8_t)v;
  }
  char *first = prop_string(env, spec, "placeholderFirst", NULL);
  if (first == NULL) return fail(env, h, "redact native: spec.placeholderFirst");
  for (const unsigned char *c = (const unsigned char *)first; *c; c++) sc->placeholder_first[*c] = 1;
  free(first);
  if (!prop_int(env, spec, "dbCredentialsType", &sc->type_dbcredentials) || sc->type_dbcredentials < 0 ||
      sc->type_dbcredentials >= sc->ntypes || !prop_int(env, spec, "dbCredentialsSpecificity", &sc->spec_dbcredentials))
    return fail(env, h, "redact native: spec.dbCredentials*");

  if (!(sc->placeholder = prop_regex(env, spec, "placeholder", true, false))) return fail(env, h, NULL);
  if (!(sc->replacement_token = prop_regex(env, spec, "replacementToken", false, false))) return fail(env, h, NULL);
  if (!(sc->java_root_package = prop_regex(env, spec, "javaRootPackage", false, false))) return fail(env, h, NULL);
  if (!(sc->version_context = prop_regex(env, spec, "versionContext", true, false))) return fail(env, h, NULL);
  if (!(sc->ipv6_body = prop_regex(env, spec, "ipv6Body", false, true))) return fail(env, h, NULL);

  napi_value rules;
  uint32_t nrules = 0;
  if (!get_prop(env, spec, "rules", &rules) || napi_get_array_length(env, rules, &nrules) != napi_ok || nrules > MAX_RULES)
    return fail(env, h, "redact native: spec.rules");
  int lit_cap = 0;
  for (uint32_t k = 0; k < nrules; k++) {
    napi_value r;
    napi_get_element(env, rules, k, &r);
    rule_t *rule = &sc->rules[k];
    sc->nrules = (int)k + 1;
    char *id = prop_string(env, r, "id", NULL);
    bool bound = id != NULL && rules_bind(rule, id);
    free(id);
    if (!bound) return fail(env, h, "redact native: a rule has no native locate");
    if (!prop_int(env, r, "type", &rule->type) || rule->type < 0 || rule->type >= sc->ntypes ||
        !prop_int(env, r, "specificity", &rule->specificity))
      return fail(env, h, "redact native: rule type/specificity");
    bool caseless = prop_bool(env, r, "caseless");
    size_t len = 0;
    char *src = prop_string(env, r, "source", &len);
    if (src == NULL) return fail(env, h, "redact native: rule source");
    rule->anchored = compile(env, src, len, caseless, true, h->type_names[rule->type]);
    napi_value prefixes, ws;
    bool has_prefixes = get_prop(env, r, "prefixes", &prefixes);
    bool has_ws = get_prop(env, r, "wordStart", &ws);
    bool in_loop = false;
    if (!has_prefixes && !has_ws && rule->locate != NULL) {
      char *rid = prop_string(env, r, "id", NULL);
      if (rid != NULL && strcmp(rid, "ipv6") == 0 && strcmp(src, IPV6_ANCHOR) == 0 && !caseless) {
        sc->ipv6_rule = (int)k;
        in_loop = true;
      } else if (rid != NULL && strcmp(rid, "hostname") == 0 && caseless && simple_labels(&sc->hostname_labels) &&
                 strncmp(src, "\\.(?:", 5) == 0 && len > strlen(HOST_TAIL) &&
                 strcmp(src + len - strlen(HOST_TAIL), HOST_TAIL) == 0) {
        sc->hostname_rule = (int)k;
        in_loop = true;
      }
      free(rid);
    }
    if (rule->anchored != NULL && !has_prefixes && !has_ws && !in_loop)
      rule->global = compile(env, src, len, caseless, false, h->type_names[rule->type]);
    free(src);
    if (rule->anchored == NULL || (!has_prefixes && !has_ws && !in_loop && rule->global == NULL)) return fail(env, h, NULL);
    const char *names[4] = {"v", "v1", "v2", "v3"};
    for (int g = 0; g < 4; g++) {
      int num = pcre2_substring_number_from_name(rule->anchored, (PCRE2_SPTR)names[g]);
      rule->value_groups[g] = num > 0 ? num : 0;
    }
    if (has_prefixes) {
      uint32_t np = 0;
      napi_get_array_length(env, prefixes, &np);
      for (uint32_t i = 0; i < np; i++) {
        napi_value e;
        napi_get_element(env, prefixes, i, &e);
        size_t plen = 0;
        char *p = latin1(env, e, &plen);
        bool ok = p != NULL && add_literal(sc, &lit_cap, p, plen, caseless, (int)k);
        free(p);
        if (!ok) return fail(env, h, "redact native: rule prefix");
      }
    } else if (has_ws) {
      if (sc->nws == MAX_WORDSTART || rule->check == NULL) return fail(env, h, "redact native: word-start rule");
      uint32_t bit = 1u << sc->nws;
      sc->ws_rule[sc->nws++] = (int)k;
      char *f = prop_string(env, ws, "first", NULL), *na = prop_string(env, ws, "notAfter", NULL);
      char *nx = prop_string(env, ws, "next", NULL), *nx2 = prop_string(env, ws, "next2", NULL);
      bool ok = f && na && nx && nx2;
      if (ok) {
        set_bits(sc->first_bits, f, bit);
        set_bits(sc->next_bits, nx, bit);
        set_bits(sc->next2_bits, nx2, bit);
        for (int c = 0; c < 256; c++) {
          bool an = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
          if (!an && (c == 0 || strchr(na, c) == NULL)) sc->after_bits[c] |= bit;
        }
      }
      free(f), free(na), free(nx), free(nx2);
      if (!ok) return fail(env, h, "redact native: wordStart tables");
    } else if (!in_loop) {
      sc->full[sc->nfull++] = (int)k;
    }
  }
  if (!index_literals(sc)) return fail(env, h, "redact native: out of memory");
  scanner_prepare(sc);

  napi_value pk;
  if (get_prop(env, spec, "privateKey", &pk)) {
    int rule = -1, limit = 0;
    if (!prop_int(env, pk, "rule", &rule) || rule < 0 || rule >= sc->nrules || !prop_int(env, pk, "bodyLimit", &limit))
      return fail(env, h, "redact native: spec.privateKey");
    sc->private_key_rule = rule;
    sc->private_key_body_limit = (size_t)limit;
    sc->private_key_body_group = pcre2_substring_number_from_name(sc->rules[rule].anchored, (PCRE2_SPTR) "body");
    if (sc->private_key_body_group <= 0) return fail(env, h, "redact native: PrivateKey pattern has no body group");
    if (!(sc->private_key_fallback = prop_regex(env, pk, "fallback", false, true))) return fail(env, h, NULL);
  }

  sc->md = pcre2_match_data_create(32, NULL);
  sc->md_aux = pcre2_match_data_create(32, NULL);
  sc->mctx = pcre2_match_context_create(NULL);
  sc->jit_stack = pcre2_jit_stack_create(64 << 10, 16 << 20, NULL);
  if (!sc->md || !sc->md_aux || !sc->mctx || !sc->jit_stack) return fail(env, h, "redact native: out of memory");
  pcre2_jit_stack_assign(sc->mctx, NULL, sc->jit_stack);
  pcre2_set_heap_limit(sc->mctx, 64 << 10); /* KiB: interpreter backtracking memory per match */
  sc->jit = all_jit;

  napi_value ext;
  if (napi_create_external(env, h, finalize, NULL, &ext) != napi_ok) return fail(env, h, "redact native: external");
  return ext;
}

/* ---- scanning ---- */

static handle_t *get_handle(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok) return NULL;
  return data;
}

static bool get_bytes(napi_env env, napi_value v, subject_t *sub) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return false;
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array)
    return false;
  sub->s = data ? data : (const uint8_t *)"";
  sub->n = length;
  return length < (size_t)INT32_MAX;
}

/* The candidate array is reused between scans; one huge unit must not pin its memory for the scanner's lifetime. */
static void release_candidates(handle_t *h) {
  if (h->cand.cap <= (1u << 16)) return;
  free(h->cand.items);
  h->cand.items = NULL;
  h->cand.cap = h->cand.len = 0;
}

static bool run_scan(napi_env env, handle_t *h, const subject_t *sub, bool resolve) {
  int rc = scan_unit(&h->sc, sub, resolve, &h->cand);
  if (rc == 0) return true;
  release_candidates(h);
  char text[200];
  if (rc == -1) snprintf(text, sizeof text, "redact native: out of memory");
  else {
    PCRE2_UCHAR msg[120];
    pcre2_get_error_message(rc, msg, sizeof msg);
    snprintf(text, sizeof text, "redact native: scan stopped by PCRE2 (%d: %s)", rc, (char *)msg);
  }
  napi_value err, msgv, code;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msgv);
  napi_create_string_utf8(env, "ERR_REDACT_NATIVE_LIMIT", NAPI_AUTO_LENGTH, &code);
  napi_create_error(env, code, msgv, &err);
  napi_throw(env, err);
  return false;
}

/* The (handle, bytes, …) arguments of scan() and redact(); NULL (a TypeError thrown) when they are not that. */
static handle_t *scan_args(napi_env env, napi_callback_info info, napi_value *argv, size_t *argc, subject_t *sub,
                           const char *usage) {
  if (napi_get_cb_info(env, info, argc, argv, NULL, NULL) != napi_ok) return NULL;
  handle_t *h = *argc >= 2 ? get_handle(env, argv[0]) : NULL;
  if (h == NULL || !get_bytes(env, argv[1], sub)) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  return h;
}

/* The candidates as an Int32Array: [start, end, type] per span, then specificity when width is 4. */
static napi_value spans_array(napi_env env, const candidates_t *c, size_t width) {
  napi_value ab, arr;
  void *data;
  CHECK(env, napi_create_arraybuffer(env, c->len * width * sizeof(int32_t), &data, &ab));
  int32_t *out = data;
  for (size_t i = 0; i < c->len; i++) {
    const candidate_t *x = &c->items[i];
    out[width * i] = (int32_t)x->start;
    out[width * i + 1] = (int32_t)x->end;
    out[width * i + 2] = x->type;
    if (width == 4) out[width * i + 3] = x->specificity;
  }
  CHECK(env, napi_create_typedarray(env, napi_int32_array, c->len * width, ab, 0, &arr));
  return arr;
}

/* scan(handle, bytes, resolve) -> Int32Array [start, end, type, specificity] per span */
static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  subject_t sub;
  handle_t *h = scan_args(env, info, argv, &argc, &sub, "scan(handle, Uint8Array, resolve)");
  if (h == NULL) return NULL;
  bool resolve = true;
  if (argc >= 3) napi_get_value_bool(env, argv[2], &resolve);
  if (!run_scan(env, h, &sub, resolve)) return NULL;
  napi_value arr = spans_array(env, &h->cand, 4);
  release_candidates(h);
  return arr;
}

/* redact(handle, bytes) -> [Buffer (each span replaced by [Type]), Int32Array [start, end, type] per span] */
static napi_value redact(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  subject_t sub;
  handle_t *h = scan_args(env, info, argv, &argc, &sub, "redact(handle, Uint8Array)");
  if (h == NULL) return NULL;
  if (!run_scan(env, h, &sub, true)) return NULL;
  const candidates_t *c = &h->cand;
  size_t out_len = sub.n;
  for (size_t i = 0; i < c->len; i++) out_len += h->type_len[c->items[i].type] + 2 - (c->items[i].end - c->items[i].start);
  napi_value buf, ab, spans, pair;
  void *bdata;
  /* An external-free ArrayBuffer of its own (not Node's pool): transferable to another thread. */
  CHECK(env, napi_create_arraybuffer(env, out_len ? out_len : 1, &bdata, &ab));
  CHECK(env, napi_create_typedarray(env, napi_uint8_array, out_len, ab, 0, &buf));
  uint8_t *o = bdata;
  size_t pos = 0, from = 0;
  for (size_t i = 0; i < c->len; i++) {
    const candidate_t *s = &c->items[i];
    memcpy(o + pos, sub.s + from, s->start - from);
    pos += s->start - from;
    const char *name = h->type_names[s->type];
    size_t nl = h->type_len[s->type];
    o[pos++] = '[';
    memcpy(o + pos, name, nl);
    pos += nl;
    o[pos++] = ']';
    from = s->end;
  }
  memcpy(o + pos, sub.s + from, sub.n - from);
  spans = spans_array(env, c, 3);
  release_candidates(h);
  if (spans == NULL) return NULL;
  CHECK(env, napi_create_array_with_length(env, 2, &pair));
  CHECK(env, napi_set_element(env, pair, 0, buf));
  CHECK(env, napi_set_element(env, pair, 1, spans));
  return pair;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"createScanner", NULL, create_scanner, NULL, NULL, NULL, napi_default, NULL},
      {"scan", NULL, scan, NULL, NULL, NULL, napi_default, NULL},
      {"redact", NULL, redact, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
