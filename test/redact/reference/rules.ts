/**
 * Built-in detection rules. Every pattern works on a Latin-1 view of the raw bytes (one char per byte, so char offsets
 * are byte offsets) and obeys two invariants the streaming code relies on:
 *  - no match crosses a newline, except PrivateKey (the stream never cuts inside a possible PEM block);
 *  - quantifiers are bounded and alternatives don't overlap, so matching is linear (no catastrophic backtracking).
 * Patterns start with a literal where possible (an anchor such as `@`, `://`, `::`, `.tld`) because V8 scans for a
 * literal far faster than it tries a character class at every position; the rest of the span is found by a short
 * backward scan in `locate`.
 */
import { LOCATE_DATA } from '../../../src/redact/rules.js';
import { HOSTNAME_TLDS, hasKnownSuffix } from '../../../src/redact/tlds.js';
import {
  cardNumberValid,
  hasLettersAndDigits,
  hostnameLabelsValid,
  IBAN_LENGTHS,
  ibanValid,
  ipv6Valid,
  shannonEntropy,
  ssnValid,
} from '../../../src/redact/validators.js';

export interface ScanContext {
  /** Lower-case internal host suffixes without a leading dot. */
  internalSuffixes: readonly string[];
}

/** A located match: [start, end) in the scanned string, and the type when a rule decides it per match. */
export interface Located {
  start: number;
  end: number;
  type?: string;
  specificity?: number;
}

export interface Rule {
  type: string;
  /** Tie-breaker between equally long overlapping spans: higher wins. */
  specificity: number;
  regex: RegExp;
  /** Maps a regex match to the span to redact, or null to reject it (the scan then retries one char later). */
  locate: (s: string, m: RegExpExecArray, ctx: ScanContext) => Located | null;
}

/** 256-entry membership table for a character class, for cheap boundary checks in `locate`. */
function charTable(cls: RegExp): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = cls.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
}
const ALNUM = charTable(/[A-Za-z0-9]/);
const WORD = charTable(/[A-Za-z0-9_]/);
const TOKEN = charTable(/[A-Za-z0-9_-]/);
const NUMERIC_CTX = charTable(/[A-Za-z0-9_.]/);
const NUMERIC_DASH_CTX = charTable(/[A-Za-z0-9_.-]/);
const EMAIL_LOCAL = charTable(/[A-Za-z0-9._%+-]/);
const HOST_CHARS = charTable(/[A-Za-z0-9.-]/);
const HEX_COLON = charTable(/[0-9A-Fa-f:]/);
const HEX = charTable(/[0-9A-Fa-f]/);
const SCHEME_CHARS = charTable(/[A-Za-z0-9+.-]/);

function inTable(t: Uint8Array, s: string, i: number): boolean {
  return i >= 0 && i < s.length && t[s.charCodeAt(i) & 0xff] === 1;
}

/** The first participating named group among `v`, `v1`, `v2`, `v3` (needs the `d` flag), else the whole match. */
function valueRange(m: RegExpExecArray): Located {
  const g = m.indices?.groups;
  if (g) {
    const r = g.v ?? g.v1 ?? g.v2 ?? g.v3;
    if (r) return { start: r[0], end: r[1] };
  }
  return { start: m.index, end: m.index + m[0].length };
}

function whole(m: RegExpExecArray): Located {
  return { start: m.index, end: m.index + m[0].length };
}

/** Match must not continue a longer run of `t` characters on its left. */
function standalone(t: Uint8Array) {
  return (s: string, m: RegExpExecArray): Located | null => (inTable(t, s, m.index - 1) ? null : whole(m));
}

// The data tables and helper patterns the optimisation did not touch come from the live rules (LOCATE_DATA).
const {
  placeholder: PLACEHOLDER,
  replacementToken: REPLACEMENT_TOKEN,
  proseStopwords: PROSE_STOPWORDS,
  dbSchemes: DB_SCHEMES,
  javaRootPackage: JAVA_ROOT_PACKAGE,
  versionContext: VERSION_CONTEXT,
  ipv6Body: IPV6_BODY,
} = LOCATE_DATA;

/** Values that are already masked, templated or plainly not secrets. */
function isPlaceholder(v: string): boolean {
  return PLACEHOLDER.test(v) || REPLACEMENT_TOKEN.test(v);
}

function assignedValue(minEntropyIfNoDigits?: number) {
  return (s: string, m: RegExpExecArray): Located | null => {
    if (inTable(ALNUM, s, m.index - 1)) return null;
    const r = valueRange(m);
    const v = s.slice(r.start, r.end);
    if (isPlaceholder(v)) return null;
    if (minEntropyIfNoDigits !== undefined && !hasLettersAndDigits(v) && shannonEntropy(v) < minEntropyIfNoDigits) {
      return null;
    }
    return r;
  };
}

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

export const BUILTIN_RULES: readonly Rule[] = [
  {
    type: 'PrivateKey',
    specificity: 100,
    // A full PEM block (raw or with escaped \n as in JSON), or a header followed by key lines when the END is cut off.
    // The body stops at the next BEGIN, so a run of unterminated headers costs linear, not quadratic, time.
    regex:
      /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:(?:[^-]|-(?!----BEGIN )){0,16384}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----|(?:(?:\r?\n|\\(?:r\\)?n)(?:[A-Za-z0-9+/=]{1,100}|[A-Za-z-]{1,32}: [A-Za-z0-9,-]{1,100})(?![^\r\n"'\\])){1,150})/g,
    locate: (_s, m) => whole(m),
  },
  {
    type: 'SlackWebhook',
    specificity: 95,
    regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,256}/g,
    locate: (_s, m) => whole(m),
  },
  {
    type: 'SlackToken',
    specificity: 90,
    regex: /(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'GitHubToken',
    specificity: 90,
    regex: /(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,247})(?![A-Za-z0-9_])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'GitLabToken',
    specificity: 90,
    regex: /glpat-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'GoogleAPIKey',
    specificity: 90,
    regex: /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'StripeKey',
    specificity: 90,
    regex: /[sr]k_(?:live|test)_[A-Za-z0-9]{10,247}(?![A-Za-z0-9_])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'AnthropicKey',
    specificity: 91,
    regex: /sk-ant-(?:api|admin|oat)\d\d-[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'OpenAIKey',
    specificity: 89,
    regex: /sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,250}(?![A-Za-z0-9_-])/g,
    locate: (s, m) => {
      if (inTable(TOKEN, s, m.index - 1) || m[0].startsWith('sk-ant-')) return null;
      // Real keys mix upper, lower and digits; `sk-some-long-hyphenated-words` does not.
      return /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0].slice(3)) && /\d/.test(m[0]) ? whole(m) : null;
    },
  },
  {
    type: 'NpmToken',
    specificity: 90,
    regex: /npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])|_authToken[ \t]*=[ \t]*["']?(?<v>[A-Za-z0-9._~+/=-]{8,512})/dg,
    locate: (s, m) => (m[0].startsWith('npm_') && inTable(TOKEN, s, m.index - 1) ? null : valueRange(m)),
  },
  {
    type: 'AWSAccessKey',
    specificity: 90,
    regex: /(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    locate: standalone(ALNUM),
  },
  {
    type: 'AWSSecretKey',
    specificity: 90,
    regex:
      /(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?[ \t]*[:=][ \t]*["']?(?<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    locate: assignedValue(),
  },
  {
    type: 'JWT',
    specificity: 85,
    regex: /eyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{0,1024}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'AzureStorageKey',
    specificity: 85,
    regex:
      /(?:AccountKey|SharedAccessKey)=(?<v1>[A-Za-z0-9+/]{20,200}={0,2})|[?&]sig=(?<v2>[A-Za-z0-9%+/]{20,200}(?:%3D|=){0,2})/dg,
    locate: (_s, m) => valueRange(m),
  },
  {
    // URL userinfo. Database schemes are reported as DBCredentials, everything else as URLCredentials.
    type: 'URLCredentials',
    specificity: 75,
    regex: /:\/\/(?<v>[^ \t\r\n:@/?#"'<>]{0,128}:[^ \t\r\n@/?#"'<>]{1,256})@(?=[A-Za-z0-9[])/dg,
    locate: (s, m) => {
      let i = m.index;
      while (i > 0 && m.index - i < 32 && inTable(SCHEME_CHARS, s, i - 1)) i--;
      if (i === m.index || inTable(SCHEME_CHARS, s, i - 1)) return null;
      const scheme = s.slice(i, m.index).toLowerCase();
      const r = valueRange(m);
      const password = s.slice(s.indexOf(':', r.start) + 1, r.end);
      if (isPlaceholder(password)) return null;
      return DB_SCHEMES.has(scheme) ? { ...r, type: 'DBCredentials', specificity: 80 } : r;
    },
  },
  {
    type: 'DBCredentials',
    specificity: 80,
    // SQL Server / ADO.NET style `Server=…;…;Password=…` and JDBC `?password=` parameters.
    regex:
      /(?:server|data source|host|address|addr)[ \t]*=[^;\r\n]{1,256};(?:[^;\r\n]{0,256};){0,12}?[ \t]*(?:password|pwd)[ \t]*=[ \t]*(?<v1>[^;\r\n"']{1,256})|jdbc:[A-Za-z0-9]+:[^ \t\r\n"'<>]{0,512}?[?&;]password=(?<v2>[^&; \t\r\n"'<>]{1,256})/dgi,
    locate: assignedValue(),
  },
  {
    type: 'BearerToken',
    specificity: 70,
    regex: /bearer[ \t]+(?<v>[A-Za-z0-9._~+/-]{8,4096}=*)(?![A-Za-z0-9._~+/=-])/dgi,
    locate: assignedValue(3.5),
  },
  {
    type: 'AuthHeader',
    specificity: 68,
    regex:
      /authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:basic|bearer|token|apikey|api-key|digest|negotiate|ntlm|aws4-hmac-sha256)[ \t]+)?(?<v>[A-Za-z0-9._~+/=:,-]{6,4096})/dgi,
    locate: assignedValue(3),
  },
  {
    type: 'Cookie',
    specificity: 65,
    regex:
      /set-cookie["']?[ \t]*:[ \t]*(?<v1>[^\r\n"';]{1,4096})|cookie["']?[ \t]*[:=][ \t]*["']?(?<v2>[^\r\n"']{1,4096})/dgi,
    locate: (s, m) => {
      if (inTable(ALNUM, s, m.index - 1)) return null;
      const r = valueRange(m);
      let end = r.end;
      while (end > r.start && (s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
      const v = s.slice(r.start, end);
      return v.includes('=') && !isPlaceholder(v) ? { start: r.start, end } : null;
    },
  },
  {
    type: 'SessionId',
    specificity: 64,
    regex:
      /(?:jsessionid|phpsessid|connect\.sid|session[_-]?(?:id|token|key)|sessid|session|csrf[_-]?token|xsrf[_-]?token)["']?[ \t]*[:=][ \t]*["']?(?<v>[A-Za-z0-9._~%+/=-]{8,256})/dgi,
    locate: assignedValue(3.5),
  },
  {
    type: 'APIKey',
    specificity: 62,
    regex:
      /(?:x-api-key|api[_-]?key|apikey|api[_-]?token|api[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|app[_-]?secret|secret[_-]?key|private[_-]?token)["']?[ \t]*[:=][ \t]*["']?(?<v>[A-Za-z0-9._~+/=-]{8,512})/dgi,
    locate: assignedValue(),
  },
  {
    type: 'Password',
    specificity: 60,
    regex:
      /(?:password|passwd|passphrase|pwd|secret)["']?[ \t]*[:=][ \t]*(?:"(?<v1>[^"\r\n]{1,256})"|'(?<v2>[^'\r\n]{1,256})'|(?<v3>[^ \t\r\n"',;&]{1,256}))/dgi,
    locate: (s, m) => {
      const r = valueRange(m);
      // "(using password: YES)": a closing bracket with no opening one belongs to the prose, not the value.
      if (')]}'.includes(s[r.end - 1]!) && !/[([{]/.test(s.slice(r.start, r.end))) r.end--;
      return r.end > r.start && !isPlaceholder(s.slice(r.start, r.end)) ? r : null;
    },
  },
  {
    // Plain language: "the password is hunter2", "passcode was: 1234abcd".
    type: 'Password',
    specificity: 60,
    regex:
      /(?:password|passphrase|passcode)[ \t]+(?:is|was|=|:|set to|changed to)[ \t]*:?[ \t]+["']?(?<v>[^ \t\r\n"',;]{3,256})/dgi,
    locate: (s, m) => {
      const r = valueRange(m);
      let end = r.end;
      while (end > r.start && '.!?)'.includes(s[end - 1]!)) end--;
      const v = s.slice(r.start, end);
      if (v.length < 3 || PROSE_STOPWORDS.has(v.toLowerCase()) || isPlaceholder(v)) return null;
      return { start: r.start, end };
    },
  },
  {
    type: 'IBAN',
    specificity: 55,
    regex: /[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?/g,
    locate: (s, m) => {
      if (inTable(ALNUM, s, m.index - 1)) return null;
      const expected = IBAN_LENGTHS[m[0].slice(0, 2)];
      if (expected === undefined) return null;
      // The pattern may run into a following word: keep exactly the country's length of alphanumerics.
      let compact = '';
      let end = m.index;
      for (; end < m.index + m[0].length && compact.length < expected; end++) {
        const c = s[end]!;
        if (c !== ' ') compact += c;
      }
      if (compact.length !== expected || inTable(ALNUM, s, end)) return null;
      return ibanValid(compact) ? { start: m.index, end } : null;
    },
  },
  {
    type: 'CreditCard',
    specificity: 54,
    regex:
      /[2-6]\d{3}(?:\d{9,15}|([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|[ -]\d{6}[ -]\d{4,5})(?![A-Za-z0-9_]|[.-]\d)/g,
    locate: (s, m) => {
      if (inTable(NUMERIC_DASH_CTX, s, m.index - 1)) return null;
      return cardNumberValid(m[0].replace(/[ -]/g, '')) ? whole(m) : null;
    },
  },
  {
    type: 'SSN',
    specificity: 53,
    regex: /(\d{3})-(\d{2})-(\d{4})(?![A-Za-z0-9_]|[.-]\d)/g,
    locate: (s, m) => (inTable(NUMERIC_DASH_CTX, s, m.index - 1) || !ssnValid(m[1]!, m[2]!, m[3]!) ? null : whole(m)),
  },
  {
    // Anchored on `@`; the local part is found by scanning left.
    type: 'Email',
    specificity: 50,
    regex: /@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9_-]|\.[A-Za-z0-9])/g,
    locate: (s, m) => {
      let start = m.index;
      while (start > 0 && m.index - start <= 64 && inTable(EMAIL_LOCAL, s, start - 1)) start--;
      if (m.index - start > 64) return null; // part of a longer run, not an address
      while (start < m.index && s[start] === '.') start++;
      if (start === m.index) return null;
      // `scheme://user:pass@host` is URL userinfo (reported by the URL rule), not an address.
      const before = s.slice(Math.max(0, start - 140), start);
      const scheme = before.lastIndexOf('://');
      if (scheme !== -1 && !/[ \t\r\n"'<>/@]/.test(before.slice(scheme + 3))) return null;
      return { start, end: m.index + m[0].length };
    },
  },
  {
    // Anchored on the first separator (V8 finds `:`/`-` far faster than it tries a hex class at every position).
    type: 'MAC',
    specificity: 45,
    regex:
      /([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Za-z_:-])|\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z_.])/g,
    locate: (s, m) => {
      const dotted = m[1] === undefined;
      const start = m.index - (dotted ? 4 : 2);
      for (let i = start; i < m.index; i++) if (!inTable(HEX, s, i)) return null;
      if (inTable(NUMERIC_DASH_CTX, s, start - 1) || s[start - 1] === ':') return null;
      const end = m.index + m[0].length;
      // Dotted Cisco form: demand a hex letter so `1234.5678.9012` (a number) stays.
      if (dotted && !/[A-Fa-f]/.test(s.slice(start, end))) return null;
      return { start, end };
    },
  },
  {
    // Anchored on `::` or three colon-separated groups; the address is found by scanning both ways.
    type: 'IPv6',
    specificity: 44,
    regex: /::|:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:/g,
    locate: (s, m) => {
      let start = m.index;
      while (start > 0 && m.index - start < 40 && inTable(HEX_COLON, s, start - 1)) start--;
      if (inTable(HEX_COLON, s, start - 1) || inTable(NUMERIC_CTX, s, start - 1)) return null;
      IPV6_BODY.lastIndex = start;
      const body = IPV6_BODY.exec(s);
      if (body === null) return null;
      let end = start + body[0].length;
      if (s[end - 1] === ':' && s[end - 2] !== ':') end--; // "…::1: connection refused"
      if (end <= m.index || inTable(WORD, s, end) || (s[end] === '.' && inTable(ALNUM, s, end + 1))) return null;
      return ipv6Valid(s.slice(start, end)) ? { start, end } : null;
    },
  },
  {
    type: 'IPv4',
    specificity: 43,
    regex: new RegExp(`${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}(?![0-9A-Za-z_]|\\.\\d|-[A-Za-z0-9])`, 'g'),
    locate: (s, m) => {
      if (inTable(NUMERIC_CTX, s, m.index - 1)) return null;
      if (VERSION_CONTEXT.test(s.slice(Math.max(0, m.index - 12), m.index))) return null;
      if (m[0] === '0.0.0.0') return null; // the unspecified address identifies nobody
      return whole(m);
    },
  },
  {
    type: 'Phone',
    specificity: 40,
    // NANP with a consistent separator or (area) code, optionally +1 / 1- prefixed.
    regex:
      /(?:\+1[ .-]?|1[ .-])?(?:\([2-9]\d\d\) ?[2-9]\d\d[ .-]\d{4}|[2-9]\d\d([ .-])[2-9]\d\d\1\d{4})(?![A-Za-z0-9_]|[.-]\d)/g,
    locate: (s, m) => (inTable(NUMERIC_DASH_CTX, s, m.index - 1) || s[m.index - 1] === '+' ? null : whole(m)),
  },
  {
    // E.164 / international: `+` then 8-15 digits, compact or grouped.
    type: 'Phone',
    specificity: 40,
    regex: /\+(?:[1-9]\d{7,14}|[1-9]\d{0,3}(?:[ .-]\d{1,5}){2,5})(?![A-Za-z0-9_]|[.-]\d)/g,
    locate: (s, m) => {
      if (inTable(ALNUM, s, m.index - 1)) return null;
      const digits = m[0].replace(/\D/g, '').length;
      return digits >= 8 && digits <= 15 ? whole(m) : null;
    },
  },
  {
    // Anchored on the last label; a real TLD or a configured internal suffix is required, so `app.log`,
    // `index.js` and `c.e.api.UserController` are never hosts.
    type: 'Hostname',
    specificity: 30,
    // Replaced per redactor by hostnameAnchor(): the accepted last labels are spelled out so V8 skips other words.
    regex: /\.[A-Za-z][A-Za-z0-9-]{1,23}(?![A-Za-z0-9_-]|\.[A-Za-z0-9])/g,
    locate: (s, m, ctx) => {
      // The anchor only matches accepted last labels; internal suffixes still need their full suffix checked below.
      const knownTld = HOSTNAME_TLDS.has(m[0].slice(1).toLowerCase());
      let start = m.index;
      while (start > 0 && m.index - start < 253 && inTable(HOST_CHARS, s, start - 1)) start--;
      if (inTable(HOST_CHARS, s, start - 1) || s[start - 1] === '_') return null;
      while (start < m.index && (s[start] === '.' || s[start] === '-')) start++;
      const end = m.index + m[0].length;
      const host = s.slice(start, end);
      if (start === m.index || !hostnameLabelsValid(host)) return null;
      if (!knownTld && !hasKnownSuffix(host, ctx.internalSuffixes)) return null;
      if (JAVA_ROOT_PACKAGE.test(host)) return null; // `java.io`, `javax.net`: packages, not hosts
      return { start, end };
    },
  },
];

/** The Hostname anchor for a set of internal suffixes: `.` followed by an accepted last label. */
export function hostnameAnchor(internalSuffixes: readonly string[]): RegExp {
  const labels = new Set(HOSTNAME_TLDS);
  for (const suffix of internalSuffixes) labels.add(suffix.slice(suffix.lastIndexOf('.') + 1));
  const alternation = [...labels]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((l) => l.replace(/[^A-Za-z0-9]/g, (c) => `\\${c}`))
    .join('|');
  return new RegExp(`\\.(?:${alternation})(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'gi');
}

/** Every built-in type name, in rule order. */
export const PII_TYPES: readonly string[] = Object.freeze([
  ...new Set([...BUILTIN_RULES.map((r) => r.type), 'DBCredentials']),
]);
