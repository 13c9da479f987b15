/* Each built-in rule's `locate` and word-start check: line-by-line ports of src/redact/rules.ts. */
#include <pthread.h>
#include <string.h>

#include "redact.h"

/* ---- character tables (rules.ts charTable) ---- */
enum { T_ALNUM, T_WORD, T_TOKEN, T_NUMERIC_CTX, T_NUMERIC_DASH_CTX, T_EMAIL_LOCAL, T_HOST_CHARS, T_HEX_COLON, T_HEX, T_SCHEME, T_COUNT };
static uint8_t TABLES[T_COUNT][256];

static bool alnum(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool hexc(int c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

static pthread_once_t TABLES_ONCE = PTHREAD_ONCE_INIT;
static void fill_tables(void) {
  for (int c = 0; c < 256; c++) {
    bool a = alnum(c);
    TABLES[T_ALNUM][c] = a;
    TABLES[T_WORD][c] = a || c == '_';
    TABLES[T_TOKEN][c] = a || c == '_' || c == '-';
    TABLES[T_NUMERIC_CTX][c] = a || c == '_' || c == '.';
    TABLES[T_NUMERIC_DASH_CTX][c] = a || c == '_' || c == '.' || c == '-';
    TABLES[T_EMAIL_LOCAL][c] = a || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    TABLES[T_HOST_CHARS][c] = a || c == '.' || c == '-';
    TABLES[T_HEX_COLON][c] = hexc(c) || c == ':';
    TABLES[T_HEX][c] = hexc(c);
    TABLES[T_SCHEME][c] = a || c == '+' || c == '.' || c == '-';
  }
}
static void init_tables(void) { pthread_once(&TABLES_ONCE, fill_tables); }

static inline bool in_tab(int t, const subject_t *sub, ptrdiff_t i) {
  int c = at(sub, i);
  return c >= 0 && TABLES[t][c];
}
static inline bool is_digit_at(const subject_t *sub, ptrdiff_t i) {
  int c = at(sub, i);
  return c >= '0' && c <= '9';
}
static inline bool is_upper_at(const subject_t *sub, ptrdiff_t i) {
  int c = at(sub, i);
  return c >= 'A' && c <= 'Z';
}
static bool digit_run(const subject_t *sub, ptrdiff_t i, int n) {
  for (ptrdiff_t k = i; k < i + n; k++)
    if (!is_digit_at(sub, k)) return false;
  return true;
}

#define M_START(m) ((m)->ov[0])
#define M_END(m) ((m)->ov[1])
#define G_SET(m, g) ((g) > 0 && (uint32_t)(g) < (m)->pairs && (m)->ov[2 * (g)] != PCRE2_UNSET)

static bool whole(const match_t *m, located_t *out) {
  out->start = M_START(m);
  out->end = M_END(m);
  return true;
}

/* The first participating value group (v, v1, v2, v3), else the whole match. */
static void value_range(const rule_t *r, const match_t *m, located_t *out) {
  for (int k = 0; k < 4; k++) {
    int g = r->value_groups[k];
    if (G_SET(m, g)) {
      out->start = m->ov[2 * g];
      out->end = m->ov[2 * g + 1];
      return;
    }
  }
  whole(m, out);
}

static bool is_placeholder(const scanner_t *sc, const uint8_t *v, size_t n) {
  if (n == 0 || !sc->placeholder_first[v[0]]) return false;
  return regex_match_slice(sc, sc->placeholder, v, n) || regex_match_slice(sc, sc->replacement_token, v, n);
}

#define RULE (&sc->rules[rule])

static bool loc_whole(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)sub, (void)rule;
  return whole(m, out);
}
static bool loc_standalone_token(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  return in_tab(T_TOKEN, sub, (ptrdiff_t)M_START(m) - 1) ? false : whole(m, out);
}
static bool loc_standalone_alnum(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  return in_tab(T_ALNUM, sub, (ptrdiff_t)M_START(m) - 1) ? false : whole(m, out);
}
static bool loc_value(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sub;
  value_range(RULE, m, out);
  return true;
}
static bool loc_openai(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  size_t s = M_START(m), e = M_END(m);
  if (in_tab(T_TOKEN, sub, (ptrdiff_t)s - 1)) return false;
  if (e - s >= 7 && memcmp(sub->s + s, "sk-ant-", 7) == 0) return false;
  bool upper = false, lower = false, digit = false;
  for (size_t i = s; i < e; i++) {
    int c = sub->s[i];
    if (c >= 'A' && c <= 'Z') upper = true;
    if (c >= '0' && c <= '9') digit = true;
    if (i >= s + 3 && c >= 'a' && c <= 'z') lower = true;
  }
  return upper && lower && digit ? whole(m, out) : false;
}
static bool loc_npm(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  size_t s = M_START(m);
  if (M_END(m) - s >= 4 && memcmp(sub->s + s, "npm_", 4) == 0 && in_tab(T_TOKEN, sub, (ptrdiff_t)s - 1)) return false;
  value_range(RULE, m, out);
  return true;
}
static bool loc_assigned(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  if (in_tab(T_ALNUM, sub, (ptrdiff_t)M_START(m) - 1)) return false;
  value_range(RULE, m, out);
  const uint8_t *v = sub->s + out->start;
  size_t n = out->end - out->start;
  if (is_placeholder(sc, v, n)) return false;
  double min = RULE->min_entropy;
  if (min >= 0 && !tv_has_letters_and_digits(v, n) && tv_shannon_entropy(v, n) < min) return false;
  return true;
}
static bool loc_url_credentials(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  size_t mi = M_START(m);
  size_t i = mi;
  while (i > 0 && mi - i < 32 && in_tab(T_SCHEME, sub, (ptrdiff_t)i - 1)) i--;
  if (i == mi || in_tab(T_SCHEME, sub, (ptrdiff_t)i - 1)) return false;
  value_range(RULE, m, out);
  size_t colon = out->start;
  while (colon < sub->n && sub->s[colon] != ':') colon++;
  size_t pw = colon + 1;
  if (pw > out->end) pw = out->end; /* JS slice(a, b) with a > b is empty */
  if (is_placeholder(sc, sub->s + pw, out->end - pw)) return false;
  if (strset_has(&sc->db_schemes, sub->s + i, mi - i)) {
    out->type = sc->type_dbcredentials;
    out->specificity = sc->spec_dbcredentials;
  }
  return true;
}
static bool loc_cookie(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  if (in_tab(T_ALNUM, sub, (ptrdiff_t)M_START(m) - 1)) return false;
  value_range(RULE, m, out);
  size_t end = out->end;
  while (end > out->start && (sub->s[end - 1] == ' ' || sub->s[end - 1] == '\t')) end--;
  const uint8_t *v = sub->s + out->start;
  size_t n = end - out->start;
  if (memchr(v, '=', n) == NULL || is_placeholder(sc, v, n)) return false;
  out->end = end;
  return true;
}
static bool loc_password(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  value_range(RULE, m, out);
  if (out->end > out->start) {
    int last = sub->s[out->end - 1];
    if (last == ')' || last == ']' || last == '}') {
      bool opening = false;
      for (size_t i = out->start; i < out->end; i++) {
        int c = sub->s[i];
        if (c == '(' || c == '[' || c == '{') opening = true;
      }
      if (!opening) out->end--;
    }
  }
  return out->end > out->start && !is_placeholder(sc, sub->s + out->start, out->end - out->start);
}
static bool loc_password_prose(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  value_range(RULE, m, out);
  size_t end = out->end;
  while (end > out->start) {
    int c = sub->s[end - 1];
    if (c != '.' && c != '!' && c != '?' && c != ')') break;
    end--;
  }
  const uint8_t *v = sub->s + out->start;
  size_t n = end - out->start;
  if (n < 3 || strset_has(&sc->stopwords, v, n) || is_placeholder(sc, v, n)) return false;
  out->end = end;
  return true;
}
static bool loc_iban(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)rule;
  size_t mi = M_START(m), me = M_END(m);
  if (in_tab(T_ALNUM, sub, (ptrdiff_t)mi - 1) || me - mi < 2) return false;
  const uint8_t *c = sub->s + mi;
  if (c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') return false;
  size_t expected = sc->iban_len[(c[0] - 'A') * 26 + (c[1] - 'A')];
  if (expected == 0) return false;
  uint8_t compact[64];
  size_t len = 0, end = mi;
  for (; end < me && len < expected; end++) {
    if (sub->s[end] != ' ' && len < sizeof compact) compact[len++] = sub->s[end];
  }
  if (len != expected || in_tab(T_ALNUM, sub, (ptrdiff_t)end)) return false;
  if (!tv_iban_valid(sc, compact, len)) return false;
  out->start = mi;
  out->end = end;
  return true;
}
static bool loc_card(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  size_t mi = M_START(m), me = M_END(m);
  if (in_tab(T_NUMERIC_DASH_CTX, sub, (ptrdiff_t)mi - 1)) return false;
  uint8_t digits[64];
  size_t n = 0;
  for (size_t i = mi; i < me; i++) {
    int c = sub->s[i];
    if (c == ' ' || c == '-') continue;
    if (n == sizeof digits) return false; /* longer than any card: cardNumberValid refuses it too */
    digits[n++] = (uint8_t)c;
  }
  return tv_card_number_valid(digits, n) ? whole(m, out) : false;
}
static bool loc_ssn(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  if (in_tab(T_NUMERIC_DASH_CTX, sub, (ptrdiff_t)M_START(m) - 1) || m->pairs < 4) return false;
  if (!tv_ssn_valid(sub->s + m->ov[2], sub->s + m->ov[4], sub->s + m->ov[6])) return false;
  return whole(m, out);
}
static bool loc_email(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  size_t mi = M_START(m);
  size_t start = mi;
  while (start > 0 && mi - start <= 64 && in_tab(T_EMAIL_LOCAL, sub, (ptrdiff_t)start - 1)) start--;
  if (mi - start > 64) return false;
  while (start < mi && sub->s[start] == '.') start++;
  if (start == mi) return false;
  size_t from = start > 140 ? start - 140 : 0;
  /* before.lastIndexOf('://') */
  ptrdiff_t scheme = -1;
  for (size_t i = start; i >= from + 3; i--) {
    if (sub->s[i - 3] == ':' && sub->s[i - 2] == '/' && sub->s[i - 1] == '/') {
      scheme = (ptrdiff_t)(i - 3);
      break;
    }
    if (i == 0) break;
  }
  if (scheme >= 0) {
    bool stop = false;
    for (size_t i = (size_t)scheme + 3; i < start; i++) {
      int c = sub->s[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' || c == '>' ||
          c == '/' || c == '@') {
        stop = true;
        break;
      }
    }
    if (!stop) return false;
  }
  out->start = start;
  out->end = M_END(m);
  return true;
}
static bool loc_mac(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  bool dotted = !G_SET(m, 1);
  ptrdiff_t mi = (ptrdiff_t)M_START(m);
  ptrdiff_t start = mi - (dotted ? 4 : 2);
  for (ptrdiff_t i = start; i < mi; i++)
    if (!in_tab(T_HEX, sub, i)) return false;
  if (in_tab(T_NUMERIC_DASH_CTX, sub, start - 1) || at(sub, start - 1) == ':') return false;
  size_t end = M_END(m);
  if (dotted) {
    bool letter = false;
    for (size_t i = (size_t)start; i < end; i++) {
      int c = sub->s[i];
      if ((c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')) letter = true;
    }
    if (!letter) return false;
  }
  out->start = (size_t)start;
  out->end = end;
  return true;
}
static bool loc_ipv6(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)rule;
  size_t mi = M_START(m);
  size_t start = mi;
  while (start > 0 && mi - start < 40 && in_tab(T_HEX_COLON, sub, (ptrdiff_t)start - 1)) start--;
  if (in_tab(T_HEX_COLON, sub, (ptrdiff_t)start - 1) || in_tab(T_NUMERIC_CTX, sub, (ptrdiff_t)start - 1)) return false;
  match_t body;
  if (!regex_match(sc, sc->md_aux, sc->ipv6_body, sub, start, &body)) return false;
  size_t end = start + (body.ov[1] - body.ov[0]);
  if (at(sub, (ptrdiff_t)end - 1) == ':' && at(sub, (ptrdiff_t)end - 2) != ':') end--;
  if (end <= mi || in_tab(T_WORD, sub, (ptrdiff_t)end) || (at(sub, (ptrdiff_t)end) == '.' && in_tab(T_ALNUM, sub, (ptrdiff_t)end + 1)))
    return false;
  if (!tv_ipv6_valid(sub->s + start, end - start)) return false;
  out->start = start;
  out->end = end;
  return true;
}
static bool loc_ipv4(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)rule;
  size_t mi = M_START(m), me = M_END(m);
  if (in_tab(T_NUMERIC_CTX, sub, (ptrdiff_t)mi - 1)) return false;
  size_t from = mi > 12 ? mi - 12 : 0;
  if (regex_match_slice(sc, sc->version_context, sub->s + from, mi - from)) return false;
  if (me - mi == 7 && memcmp(sub->s + mi, "0.0.0.0", 7) == 0) return false;
  return whole(m, out);
}
static bool loc_phone_nanp(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  ptrdiff_t mi = (ptrdiff_t)M_START(m);
  if (in_tab(T_NUMERIC_DASH_CTX, sub, mi - 1) || at(sub, mi - 1) == '+') return false;
  return whole(m, out);
}
static bool loc_phone_intl(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)sc, (void)rule;
  size_t mi = M_START(m), me = M_END(m);
  if (in_tab(T_ALNUM, sub, (ptrdiff_t)mi - 1)) return false;
  int digits = 0;
  for (size_t i = mi; i < me; i++)
    if (sub->s[i] >= '0' && sub->s[i] <= '9') digits++;
  return digits >= 8 && digits <= 15 ? whole(m, out) : false;
}
static bool loc_hostname(const scanner_t *sc, const subject_t *sub, const match_t *m, int rule, located_t *out) {
  (void)rule;
  size_t mi = M_START(m), me = M_END(m);
  bool known_tld = tv_is_known_tld(sc, sub->s + mi + 1, me - mi - 1);
  size_t start = mi;
  while (start > 0 && mi - start < 253 && in_tab(T_HOST_CHARS, sub, (ptrdiff_t)start - 1)) start--;
  if (in_tab(T_HOST_CHARS, sub, (ptrdiff_t)start - 1) || at(sub, (ptrdiff_t)start - 1) == '_') return false;
  while (start < mi && (sub->s[start] == '.' || sub->s[start] == '-')) start++;
  const uint8_t *host = sub->s + start;
  size_t n = me - start;
  if (start == mi || !tv_hostname_labels_valid(host, n)) return false;
  if (!known_tld && !tv_has_known_suffix(sc, host, n)) return false;
  if (regex_match_slice(sc, sc->java_root_package, host, n)) return false;
  out->start = start;
  out->end = me;
  return true;
}

/* ---- prechecks: necessary conditions for token patterns whose value is a long run of [A-Za-z0-9_-] ----
   A unit made of one prefix repeated ("eyJeyJ…", "sk-sk-…") would otherwise have PCRE2 rescan the same run, up to
   its 250-8192 character bound, at every prefix. Each pattern below can only match where the maximal token run after
   its prefix has a length in the stated range (a shorter prefix of the run is followed by a token character, which
   the pattern's next item or lookahead refuses), so that length, measured once per run, decides most positions. */

/* Length of the maximal run of [A-Za-z0-9_-] from i, remembered for the other positions inside the same run. */
static size_t token_run(scanner_t *sc, const subject_t *sub, size_t i) {
  if (i >= sc->token_from && i < sc->token_end) return sc->token_end - i;
  size_t e = i;
  while (e < sub->n && TABLES[T_TOKEN][sub->s[e]]) e++;
  if (e > i) {
    sc->token_from = i;
    sc->token_end = e;
  }
  return e - i;
}

/* eyJ[A-Za-z0-9_-]{5,4096}\.eyJ…: the run after eyJ is 5-4096 long and ends at ".eyJ". */
static bool pre_jwt(scanner_t *sc, const subject_t *sub, size_t p) {
  size_t len = token_run(sc, sub, p + 3);
  size_t q = p + 3 + len;
  return len >= 5 && len <= 4096 && at(sub, (ptrdiff_t)q) == '.' && at(sub, (ptrdiff_t)q + 1) == 'e' &&
         at(sub, (ptrdiff_t)q + 2) == 'y' && at(sub, (ptrdiff_t)q + 3) == 'J';
}
/* (?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-]): '-' at p+4, then a run of 10-250. */
static bool pre_slack_token(scanner_t *sc, const subject_t *sub, size_t p) {
  if (at(sub, (ptrdiff_t)p + 4) != '-') return false;
  size_t len = token_run(sc, sub, p + 5);
  return len >= 10 && len <= 250;
}
/* sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,250}(?!…): the run after "sk-" is 20-250, plus at most "svcacct-". */
static bool pre_openai(scanner_t *sc, const subject_t *sub, size_t p) {
  size_t len = token_run(sc, sub, p + 3);
  return len >= 20 && len <= 250 + 8;
}
/* sk-ant-(?:api|admin|oat)\d\d-[A-Za-z0-9_-]{20,200}(?!…): after "sk-", "ant-" + 3-5 + 2 + "-" + 20-200. */
static bool pre_anthropic(scanner_t *sc, const subject_t *sub, size_t p) {
  size_t len = token_run(sc, sub, p + 3);
  return len >= 4 + 3 + 3 + 20 && len <= 4 + 5 + 3 + 200;
}

/* The first position >= i holding byte c (n when none), remembered for later positions up to it. */
static size_t next_byte(const subject_t *sub, size_t i, int c, size_t *from, size_t *found) {
  if (i >= *from && i <= *found && *found > 0) return *found;
  const uint8_t *hit = i < sub->n ? memchr(sub->s + i, c, sub->n - i) : NULL;
  *from = i;
  *found = hit ? (size_t)(hit - sub->s) : sub->n;
  return *found;
}

/* Cookie (`set-cookie` / `cookie`, then quote, blanks, ':' or '=', blanks, quote, a value of up to 4096 chars on the
   line): `locate` keeps a match only when the value holds an '='. The value starts after the literal and the run of
   [ \t"':=] that follows it at the latest, so an '=' must lie between the literal and that run's end + 4096, before
   the line ends. A line of "cookie: cookie: …" without one is then decided without rescanning it per literal. */
static bool pre_cookie(scanner_t *sc, const subject_t *sub, size_t p) {
  size_t start = p + ((at(sub, (ptrdiff_t)p) | 32) == 's' ? 10 : 6);
  size_t run = start;
  for (int c = at(sub, (ptrdiff_t)run); c == ' ' || c == '\t' || c == '"' || c == '\'' || c == ':' || c == '=';
       c = at(sub, (ptrdiff_t)run))
    run++;
  size_t limit = next_byte(sub, start, '\n', &sc->nl_from, &sc->nl_at);
  if (run + 4096 < limit) limit = run + 4096;
  return next_byte(sub, start, '=', &sc->eq_from, &sc->eq_at) < limit;
}

/* ---- word-start checks (Rule.wordStart.check / matchAt) ---- */
static bool chk_iban(const subject_t *sub, size_t p) {
  return is_upper_at(sub, (ptrdiff_t)p + 1) && is_digit_at(sub, (ptrdiff_t)p + 2) && is_digit_at(sub, (ptrdiff_t)p + 3);
}
static bool chk_card(const subject_t *sub, size_t p) {
  ptrdiff_t q = (ptrdiff_t)p;
  int sep = at(sub, q + 4);
  return digit_run(sub, q + 1, 3) && (digit_run(sub, q + 4, 9) || ((sep == ' ' || sep == '-') && digit_run(sub, q + 5, 4))) &&
         !in_tab(T_NUMERIC_DASH_CTX, sub, q - 1);
}
static bool chk_ssn(const subject_t *sub, size_t p) {
  ptrdiff_t q = (ptrdiff_t)p;
  return at(sub, q + 3) == '-' && at(sub, q + 6) == '-' && !in_tab(T_NUMERIC_DASH_CTX, sub, q - 1);
}
static bool chk_mac(const subject_t *sub, size_t p) {
  ptrdiff_t q = (ptrdiff_t)p;
  int c2 = at(sub, q + 2);
  return c2 == ':' || c2 == '-' || (at(sub, q + 4) == '.' && in_tab(T_HEX, sub, q + 2) && in_tab(T_HEX, sub, q + 3));
}
static size_t mac_match_at(const subject_t *sub, size_t p) { return at(sub, (ptrdiff_t)p + 4) == '.' ? p + 4 : p + 2; }
static bool dotted_quad(const subject_t *sub, ptrdiff_t p) {
  ptrdiff_t q = p;
  for (int part = 0; part < 4; part++) {
    ptrdiff_t from = q;
    while (q - from < 3 && is_digit_at(sub, q)) q++;
    if (q == from) return false;
    if (part < 3) {
      if (at(sub, q) != '.') return false;
      q++;
    }
  }
  return true;
}
static bool chk_ipv4(const subject_t *sub, size_t p) {
  return dotted_quad(sub, (ptrdiff_t)p) && !in_tab(T_NUMERIC_CTX, sub, (ptrdiff_t)p - 1);
}
static bool nanp_sep(int c) { return c == ' ' || c == '.' || c == '-'; }
static bool digit2to9(const subject_t *sub, ptrdiff_t i) {
  int c = at(sub, i);
  return c >= '2' && c <= '9';
}
static bool nanp_head(const subject_t *sub, ptrdiff_t p) {
  ptrdiff_t q = p;
  if (at(sub, q) == '+') {
    if (at(sub, q + 1) != '1') return false;
    q += 2;
    if (nanp_sep(at(sub, q))) q++;
  } else if (at(sub, q) == '1') {
    if (!nanp_sep(at(sub, q + 1))) return false;
    q += 2;
  }
  if (at(sub, q) == '(') return digit2to9(sub, q + 1) && digit_run(sub, q + 2, 2) && at(sub, q + 4) == ')';
  return digit2to9(sub, q) && digit_run(sub, q + 1, 2) && nanp_sep(at(sub, q + 3)) && digit2to9(sub, q + 4);
}
static bool chk_phone_nanp(const subject_t *sub, size_t p) {
  ptrdiff_t q = (ptrdiff_t)p;
  return !in_tab(T_NUMERIC_DASH_CTX, sub, q - 1) && at(sub, q - 1) != '+' && nanp_head(sub, q);
}
static bool chk_true(const subject_t *sub, size_t p) {
  (void)sub, (void)p;
  return true;
}

static const struct {
  const char *id;
  locate_fn locate;
  double min_entropy;
  check_fn check;
  match_at_fn match_at;
  precheck_fn precheck;
} BINDINGS[] = {
    {"private-key", loc_whole, -1, NULL, NULL, NULL},
    {"slack-webhook", loc_whole, -1, NULL, NULL, NULL},
    {"standalone-token", loc_standalone_token, -1, NULL, NULL, NULL},
    {"slack-token", loc_standalone_token, -1, NULL, NULL, pre_slack_token},
    {"anthropic-key", loc_standalone_token, -1, NULL, NULL, pre_anthropic},
    {"jwt", loc_standalone_token, -1, NULL, NULL, pre_jwt},
    {"standalone-alnum", loc_standalone_alnum, -1, NULL, NULL, NULL},
    {"openai-key", loc_openai, -1, NULL, NULL, pre_openai},
    {"npm-token", loc_npm, -1, NULL, NULL, NULL},
    {"assigned-value", loc_assigned, -1, NULL, NULL, NULL},
    {"assigned-value-entropy-3", loc_assigned, 3, NULL, NULL, NULL},
    {"assigned-value-entropy-3.5", loc_assigned, 3.5, NULL, NULL, NULL},
    {"value-group", loc_value, -1, NULL, NULL, NULL},
    {"url-credentials", loc_url_credentials, -1, NULL, NULL, NULL},
    {"cookie", loc_cookie, -1, NULL, NULL, pre_cookie},
    {"password-assignment", loc_password, -1, NULL, NULL, NULL},
    {"password-prose", loc_password_prose, -1, NULL, NULL, NULL},
    {"iban", loc_iban, -1, chk_iban, NULL, NULL},
    {"credit-card", loc_card, -1, chk_card, NULL, NULL},
    {"ssn", loc_ssn, -1, chk_ssn, NULL, NULL},
    {"email", loc_email, -1, NULL, NULL, NULL},
    {"mac", loc_mac, -1, chk_mac, mac_match_at, NULL},
    {"ipv6", loc_ipv6, -1, NULL, NULL, NULL},
    {"ipv4", loc_ipv4, -1, chk_ipv4, NULL, NULL},
    {"phone-nanp", loc_phone_nanp, -1, chk_phone_nanp, NULL, NULL},
    {"phone-international", loc_phone_intl, -1, chk_true, NULL, NULL},
    {"hostname", loc_hostname, -1, NULL, NULL, NULL},
};

bool rules_bind(rule_t *rule, const char *id) {
  init_tables();
  for (size_t k = 0; k < sizeof BINDINGS / sizeof BINDINGS[0]; k++) {
    if (strcmp(BINDINGS[k].id, id) != 0) continue;
    rule->locate = BINDINGS[k].locate;
    rule->min_entropy = BINDINGS[k].min_entropy;
    rule->check = BINDINGS[k].check;
    rule->match_at = BINDINGS[k].match_at;
    rule->precheck = BINDINGS[k].precheck;
    return true;
  }
  return false;
}
