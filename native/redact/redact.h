/*
 * Native scanner for src/redact: the same rules, plan and results as src/redact/engine.ts (findSpans), in C with
 * PCRE2 (JIT) for the patterns. Patterns, prefixes, word-start tables and data tables (TLDs, IBAN lengths, …) come
 * from the JavaScript rule definitions at compile time, so they are defined once; what lives here is each rule's
 * `locate` (boundary checks and validators) and the scanning loop. All input is raw bytes: offsets are byte offsets.
 *
 * Safety: every read of the subject goes through `at()` (returns -1 outside [0, n)) or is guarded by an explicit
 * bound; the subject is never written.
 */
#ifndef TFTSR_REDACT_H
#define TFTSR_REDACT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_RULES 64
#define MAX_WORDSTART 32

typedef struct {
  const uint8_t *s;
  size_t n;
} subject_t;

/* The byte at i, or -1 outside the subject (JS charCodeAt gives NaN there; every check treats it as no match). */
static inline int at(const subject_t *sub, ptrdiff_t i) {
  return (i >= 0 && (size_t)i < sub->n) ? sub->s[i] : -1;
}

typedef struct {
  size_t start, end;
  int type;
  int specificity;
} candidate_t;

/* A set of strings, looked up ASCII-case-insensitively (entries are stored as given, lower-case). */
typedef struct {
  char **items;
  size_t n;
  uint32_t *slots; /* index + 1, 0 = empty */
  uint32_t mask;
  size_t max_len;
} strset_t;

typedef struct {
  candidate_t *items;
  size_t len, cap;
  bool oom;
} candidates_t;

/* A regex match: ovector pairs for the whole match (0) and each group; PCRE2_UNSET when a group did not take part. */
typedef struct {
  PCRE2_SIZE *ov;
  uint32_t pairs;
} match_t;

struct scanner;

typedef struct {
  size_t start, end;
  int type;        /* -1: the rule's type */
  int specificity; /* -1: the rule's specificity */
} located_t;

typedef bool (*locate_fn)(const struct scanner *sc, const subject_t *sub, const match_t *m, int rule, located_t *out);
typedef bool (*check_fn)(const subject_t *sub, size_t p);
typedef size_t (*match_at_fn)(const subject_t *sub, size_t p);
/* A necessary condition for the rule's pattern to match at p, cheaper than trying it (false: it cannot match). */
typedef bool (*precheck_fn)(struct scanner *sc, const subject_t *sub, size_t p);

typedef struct {
  int type;
  int specificity;
  pcre2_code *anchored; /* sticky: tried at one position */
  pcre2_code *global;   /* own pass (rules without prefixes or word-start hints) */
  locate_fn locate;
  /* Named value groups v, v1, v2, v3 (group numbers, 0 when absent), in that order of preference. */
  int value_groups[4];
  /* locate parameters */
  double min_entropy; /* assigned-value rules: < 0 when unused */
  bool entropy_only_without_digits;
  /* word start */
  bool word_start;
  check_fn check;
  match_at_fn match_at;
  precheck_fn precheck;
  /* scan state */
  size_t resume;
} rule_t;

/* A trigger literal: where it starts, any rule owning a prefix that is a prefix of it is tried. */
typedef struct {
  uint8_t bytes[64];
  size_t len;
  bool caseless;
  /* The first (up to) four bytes as a little-endian word (folded when caseless), and the mask of those in use. */
  uint32_t head, head_mask;
  uint64_t rules; /* bit r: rule r owns a prefix matching here */
} literal_t;

typedef struct scanner {
  rule_t rules[MAX_RULES];
  int nrules;
  int ntypes;
  int type_rank[MAX_RULES * 2]; /* by type index: rank of the type name in code-unit order (resolve tie-break) */
  /* trigger literals, and a pair table: bit set when some literal may start with (fold(c0), fold(c1)) */
  literal_t *literals;
  int nliterals;
  uint8_t pair_any[65536 / 8];
  uint16_t *first_lits; /* by folded first byte: indexes into literals, from first_off[c] to first_off[c + 1] */
  uint16_t first_off[257];
  uint16_t *pair_lits; /* by folded first two bytes (key): indexes into literals, from pair_off[key] to pair_off[key + 1] */
  uint32_t *pair_off;  /* 65537 entries */
  /* by byte: 1 a literal may start here, 2 the IPv6 anchor (':'), 4 the Hostname anchor ('.') */
  uint8_t byte_class[256];
  /* by (s[p] << 8 | s[p+1]): nonzero when anything may start at p (a superset: the loop's cheap first filter) */
  uint8_t pair_filter[65536];
  /* word-start group */
  int ws_rule[MAX_WORDSTART];
  int nws;
  uint32_t first_bits[256], after_bits[256], next_bits[256], next2_bits[256];
  /* own passes */
  int full[MAX_RULES];
  int nfull;
  /* data tables */
  strset_t tlds;
  char **internal_suffixes;
  size_t nsuffixes;
  strset_t stopwords;
  strset_t db_schemes;
  /* Anchors matched in the byte loop instead of a PCRE2 pass: -1 when the rule is absent or keeps its pass. */
  int ipv6_rule;
  int hostname_rule;
  strset_t hostname_labels;
  uint8_t iban_len[26 * 26];
  pcre2_code *placeholder, *replacement_token, *java_root_package, *version_context, *ipv6_body;
  /* PrivateKey: its lazy body (at most private_key_body_limit chars) is compiled unbounded; a longer body is
     re-matched with the pattern without that branch (`private_key_fallback`). */
  int private_key_rule;
  int private_key_body_group;
  size_t private_key_body_limit;
  pcre2_code *private_key_fallback;
  uint8_t placeholder_first[256];
  int type_dbcredentials;
  int spec_dbcredentials;
  /* matching */
  pcre2_match_data *md;     /* the rule match being located */
  pcre2_match_data *md_aux; /* checks made while locating (placeholders, IPv6 body, …) */
  bool jit;                 /* every pattern is JIT-compiled: matches go through pcre2_jit_match (no per-call checks) */
  /* The last maximal run of token characters [A-Za-z0-9_-] measured in this scan: [token_from, token_end). */
  size_t token_from, token_end;
  /* The next '=' and the next '\n' at or after the last position asked (see next_byte in rules.c). */
  size_t eq_from, eq_at, nl_from, nl_at;
  int error;                /* first PCRE2 error of this scan (match or heap limits): the scan is refused */
  pcre2_match_context *mctx;
  pcre2_jit_stack *jit_stack;
} scanner_t;

/* validators.c */
bool tv_card_number_valid(const uint8_t *digits, size_t n);
bool tv_ssn_valid(const uint8_t *area3, const uint8_t *group2, const uint8_t *serial4);
bool tv_iban_valid(const scanner_t *sc, const uint8_t *compact, size_t n);
double tv_shannon_entropy(const uint8_t *s, size_t n);
bool tv_has_letters_and_digits(const uint8_t *s, size_t n);
bool tv_ipv6_valid(const uint8_t *s, size_t n);
bool tv_hostname_labels_valid(const uint8_t *s, size_t n);
bool tv_is_known_tld(const scanner_t *sc, const uint8_t *label, size_t n);
bool tv_has_known_suffix(const scanner_t *sc, const uint8_t *host, size_t n);
bool strset_init(strset_t *set, char **items, size_t n); /* takes ownership of items */
bool strset_has(const strset_t *set, const uint8_t *s, size_t n);
void strset_free(strset_t *set);

/* rules.c: the locate and word-start functions by rule id; false when the id is unknown. */
bool rules_bind(rule_t *rule, const char *id);

/* engine.c */
bool regex_match(const scanner_t *sc, pcre2_match_data *md, pcre2_code *re, const subject_t *sub, size_t from, match_t *m);
bool regex_match_slice(const scanner_t *sc, pcre2_code *re, const uint8_t *s, size_t n);
void scanner_prepare(scanner_t *sc);
int scan_unit(scanner_t *sc, const subject_t *sub, bool resolve, candidates_t *out);
void resolve_overlaps(const scanner_t *sc, candidates_t *c);

#endif
