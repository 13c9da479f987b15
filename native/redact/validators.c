/* Ports of src/redact/validators.ts and tlds.ts (hasKnownSuffix): same decisions on the same bytes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

static inline int fold(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static inline bool is_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static bool luhn_valid(const uint8_t *d, size_t n) {
  int sum = 0;
  bool dbl = false;
  for (size_t k = n; k-- > 0;) {
    int v = d[k] - '0';
    if (v < 0 || v > 9) return false;
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

static long digits_value(const uint8_t *d, size_t k) {
  long v = 0;
  for (size_t i = 0; i < k; i++) v = v * 10 + (d[i] - '0');
  return v;
}

bool tv_card_number_valid(const uint8_t *d, size_t n) {
  if (n < 13 || n > 19) return false;
  for (size_t i = 0; i < n; i++)
    if (!is_digit(d[i])) return false;
  long p2 = digits_value(d, 2), p4 = digits_value(d, 4), p6 = digits_value(d, 6);
  bool ok = (d[0] == '4' && (n == 13 || n == 16 || n == 19)) ||                   /* Visa */
            (((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) && n == 16) || /* Mastercard */
            ((p2 == 34 || p2 == 37) && n == 15) ||                                /* Amex */
            ((p4 == 6011 || p2 == 65 || (p4 >= 6440 && p4 <= 6499)) && n >= 16) || /* Discover */
            (p4 >= 3528 && p4 <= 3589 && n >= 16) ||                              /* JCB */
            ((p2 == 36 || p2 == 38 || p2 == 39 || (p4 >= 3000 && p4 <= 3059)) && n >= 14) || /* Diners */
            (p2 == 62 && n >= 16);                                                /* UnionPay */
  return ok && luhn_valid(d, n);
}

bool tv_ssn_valid(const uint8_t *area, const uint8_t *group, const uint8_t *serial) {
  long a = digits_value(area, 3);
  return a != 0 && a != 666 && a < 900 && !(group[0] == '0' && group[1] == '0') &&
         !(serial[0] == '0' && serial[1] == '0' && serial[2] == '0' && serial[3] == '0');
}

static int iban_expected(const scanner_t *sc, const uint8_t *c) {
  if (c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') return 0;
  return sc->iban_len[(c[0] - 'A') * 26 + (c[1] - 'A')];
}

bool tv_iban_valid(const scanner_t *sc, const uint8_t *compact, size_t n) {
  if (n < 4) return false;
  int expected = iban_expected(sc, compact);
  if (expected == 0 || n != (size_t)expected) return false;
  int rem = 0;
  for (size_t k = 0; k < n; k++) {
    int c = compact[(k + 4) % n];
    if (is_digit(c)) rem = (rem * 10 + (c - '0')) % 97;
    else if (c >= 'A' && c <= 'Z') rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem == 1;
}

double tv_shannon_entropy(const uint8_t *s, size_t n) {
  if (n == 0) return 0;
  /* Distinct bytes in first-seen order, as the JS Map iterates: the float sum is then the same. */
  uint32_t counts[256] = {0};
  uint8_t order[256];
  int distinct = 0;
  for (size_t i = 0; i < n; i++) {
    if (counts[s[i]]++ == 0) order[distinct++] = s[i];
  }
  double h = 0;
  for (int k = 0; k < distinct; k++) {
    double p = (double)counts[order[k]] / (double)n;
    h -= p * log2(p);
  }
  return h;
}

bool tv_has_letters_and_digits(const uint8_t *s, size_t n) {
  bool letter = false, digit = false;
  for (size_t i = 0; i < n; i++) {
    int c = s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) letter = true;
    else if (is_digit(c)) digit = true;
  }
  return letter && digit;
}

/* (?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d) on exactly [s, s+n) */
static bool octet_ok(const uint8_t *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_digit(s[i])) return false;
  if (n == 1) return true;
  if (n == 2) return s[0] != '0';
  if (n == 3) {
    if (s[0] == '1') return true;
    if (s[0] == '2') return s[1] < '5' || (s[1] == '5' && s[2] <= '5');
    return false;
  }
  return false;
}

static bool dotted_v4_ok(const uint8_t *s, size_t n) {
  size_t from = 0;
  int parts = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != '.') continue;
    if (!octet_ok(s + from, i - from)) return false;
    parts++;
    from = i + 1;
  }
  return parts == 4;
}

/* Groups of `part` split on ':', each ^[0-9A-Fa-f]{1,4}$; -1 when one is not ("" gives 0 groups). */
static int hex_groups(const uint8_t *s, size_t n) {
  if (n == 0) return 0;
  int groups = 0;
  size_t from = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != ':') continue;
    size_t len = i - from;
    if (len < 1 || len > 4) return -1;
    for (size_t k = from; k < i; k++)
      if (!is_hex(s[k])) return -1;
    groups++;
    from = i + 1;
  }
  return groups;
}

bool tv_ipv6_valid(const uint8_t *s, size_t n) {
  size_t head_len = n;
  int groups_for_v4 = 0;
  ptrdiff_t last_colon = -1;
  for (size_t i = n; i-- > 0;)
    if (s[i] == ':') {
      last_colon = (ptrdiff_t)i;
      break;
    }
  bool dot_after = false;
  for (size_t i = last_colon < 0 ? 0 : (size_t)last_colon; i < n; i++)
    if (s[i] == '.') dot_after = true;
  if (dot_after) {
    size_t v4 = (size_t)(last_colon + 1);
    if (!dotted_v4_ok(s + v4, n - v4)) return false;
    head_len = v4;
    if (!(head_len >= 2 && s[head_len - 1] == ':' && s[head_len - 2] == ':') && head_len > 0) head_len--;
    groups_for_v4 = 2;
  }
  /* split('::'): non-overlapping, left to right */
  ptrdiff_t dc = -1;
  for (size_t i = 0; i + 1 < head_len; i++)
    if (s[i] == ':' && s[i + 1] == ':') {
      dc = (ptrdiff_t)i;
      break;
    }
  if (dc < 0) {
    int left = hex_groups(s, head_len);
    return left >= 0 && left + groups_for_v4 == 8;
  }
  for (size_t i = (size_t)dc + 2; i + 1 < head_len; i++)
    if (s[i] == ':' && s[i + 1] == ':') return false;
  int left = hex_groups(s, (size_t)dc);
  if (left < 0) return false;
  int right = hex_groups(s + dc + 2, head_len - (size_t)dc - 2);
  if (right < 0) return false;
  int total = left + right + groups_for_v4;
  return total >= 1 && total <= 7;
}

bool tv_hostname_labels_valid(const uint8_t *h, size_t n) {
  size_t label_start = 0;
  int labels = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && h[i] != '.') continue;
    size_t len = i - label_start;
    if (len == 0 || len > 63 || h[label_start] == '-' || h[i - 1] == '-') return false;
    labels++;
    label_start = i + 1;
  }
  return labels >= 2;
}

static uint32_t hash_folded(const uint8_t *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint32_t)fold(s[i])) * 16777619u;
  return h;
}

bool strset_init(strset_t *set, char **items, size_t n) {
  memset(set, 0, sizeof *set);
  set->items = items;
  set->n = n;
  uint32_t cap = 16;
  while (cap < n * 4) cap <<= 1;
  set->slots = calloc(cap, sizeof *set->slots);
  if (set->slots == NULL) return false;
  set->mask = cap - 1;
  for (size_t k = 0; k < n; k++) {
    size_t len = strlen(items[k]);
    if (len > set->max_len) set->max_len = len;
    uint32_t i = hash_folded((const uint8_t *)items[k], len) & set->mask;
    while (set->slots[i] != 0) i = (i + 1) & set->mask;
    set->slots[i] = (uint32_t)k + 1;
  }
  return true;
}

/* Whether s, ASCII-lower-cased, is one of the entries (compared as stored: an upper-case entry never matches). */
bool strset_has(const strset_t *set, const uint8_t *s, size_t n) {
  if (set->slots == NULL || n > set->max_len) return false;
  for (uint32_t i = hash_folded(s, n) & set->mask; set->slots[i] != 0; i = (i + 1) & set->mask) {
    const char *e = set->items[set->slots[i] - 1];
    if (strlen(e) != n) continue;
    size_t k = 0;
    while (k < n && fold(s[k]) == (uint8_t)e[k]) k++;
    if (k == n) return true;
  }
  return false;
}

void strset_free(strset_t *set) {
  if (set->items != NULL) {
    for (size_t k = 0; k < set->n; k++) free(set->items[k]);
    free(set->items);
  }
  free(set->slots);
  memset(set, 0, sizeof *set);
}

bool tv_is_known_tld(const scanner_t *sc, const uint8_t *label, size_t n) { return strset_has(&sc->tlds, label, n); }

bool tv_has_known_suffix(const scanner_t *sc, const uint8_t *host, size_t n) {
  size_t dot = n;
  while (dot > 0 && host[dot - 1] != '.') dot--;
  if (tv_is_known_tld(sc, host + dot, n - dot)) return true;
  for (size_t k = 0; k < sc->nsuffixes; k++) {
    const char *suf = sc->internal_suffixes[k];
    size_t len = strlen(suf);
    if (len + 1 > n) continue;
    const uint8_t *tail = host + n - len;
    if (tail[-1] != '.') continue;
    size_t i = 0;
    while (i < len && fold(tail[i]) == (uint8_t)suf[i]) i++;
    if (i == len) return true;
  }
  return false;
}
