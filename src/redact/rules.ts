/**
 * Built-in detection rules. Every pattern works on a Latin-1 view of the raw bytes (one char per byte, so char offsets
 * are byte offsets) and obeys two invariants the streaming code relies on:
 *  - no match crosses a newline, except PrivateKey (the stream never cuts inside a possible PEM block);
 *  - quantifiers are bounded and alternatives don't overlap, so matching is linear (no catastrophic backtracking).
 * Patterns start with a literal where possible (an anchor such as `@`, `://`, `::`, `.tld`) because V8 scans for a
 * literal far faster than it tries a character class at every position; the rest of the span is found by a short
 * backward scan in `locate`.
 */
import { HOSTNAME_TLDS, hasKnownSuffix } from './tlds.js';
import {
  cardNumberValid,
  hasLettersAndDigits,
  hostnameLabelsValid,
  IBAN_LENGTHS,
  ibanValid,
  ipv6Valid,
  shannonEntropy,
  ssnValid,
} from './validators.js';

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
  /**
   * Built-in rules: how the native scanner (native/redact/rules.c) locates this rule's matches; rules sharing a
   * `locate` share an id. Custom rules have none (they always run in JavaScript).
   */
  id?: string;
  /** Tie-breaker between equally long overlapping spans: higher wins. */
  specificity: number;
  regex: RegExp;
  /**
   * Every match of `regex` starts with one of these literals (compared case-insensitively when the regex has the `i`
   * flag). Lets the engine find candidate positions for many rules in one pass and try each rule only there (sticky);
   * rules without it get a full pass of their own. Must hold for every possible match, or spans are lost.
   */
  prefixes?: readonly string[];
  /**
   * For class-led rules: every match that `locate` accepts starts at a position p where s[p] is one of `first`,
   * s[p-1] is not [A-Za-z0-9] nor one of `notAfter` (or p is 0), s[p+1] is one of `next`, s[p+2] one of `next2`,
   * and `check(s, p)` holds. The engine finds such positions for all these rules in one loop and tries each rule only
   * there. Rejected matches need not be covered: a rejection only moves the rule's scan one char on, which skipping
   * the position does too. Must hold for every accepted match, or spans are lost.
   */
  wordStart?: {
    first: string;
    /** Chars, besides [A-Za-z0-9], that never precede an accepted match. */
    notAfter: string;
    /** The chars s[p+1] can be. */
    next: string;
    /** The chars s[p+2] can be. */
    next2: string;
    check: (s: string, p: number) => boolean;
    /** Where the regex match begins for a span starting at p (default p), for patterns anchored past the span start. */
    matchAt?: (s: string, p: number) => number;
  };
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

const DIGITS = '0123456789';
const HEX_DIGITS = '0123456789ABCDEFabcdef';
function isHex(s: string, i: number): boolean {
  return inTable(HEX, s, i);
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i); // NaN past the end
  return c >= 48 && c <= 57;
}
/** `n` digits from `i`. */
function digitRun(s: string, i: number, n: number): boolean {
  for (let k = i; k < i + n; k++) if (!isDigit(s, k)) return false;
  return true;
}
/** Four runs of 1-3 digits joined by dots from `p`: what every IPv4 match starts with. */
function dottedQuad(s: string, p: number): boolean {
  let q = p;
  for (let part = 0; part < 4; part++) {
    const from = q;
    while (q - from < 3 && isDigit(s, q)) q++;
    if (q === from) return false;
    if (part < 3) {
      if (s[q] !== '.') return false;
      q++;
    }
  }
  return true;
}
const NANP_SEP = (c: string | undefined) => c === ' ' || c === '.' || c === '-';
function isDigit2to9(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 50 && c <= 57;
}
/** The start every NANP Phone match has: optional `+1`/`1` prefix, then `(2dd)` or `2dd` and a separator. */
function nanpHead(s: string, p: number): boolean {
  let q = p;
  if (s[q] === '+') {
    if (s[q + 1] !== '1') return false;
    q += 2;
    if (NANP_SEP(s[q])) q++;
  } else if (s[q] === '1') {
    if (!NANP_SEP(s[q + 1])) return false;
    q += 2;
  }
  if (s[q] === '(') return isDigit2to9(s, q + 1) && digitRun(s, q + 2, 2) && s[q + 4] === ')';
  return isDigit2to9(s, q) && digitRun(s, q + 1, 2) && NANP_SEP(s[q + 3]) && isDigit2to9(s, q + 4);
}
function isUpper(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90;
}

/** Chars between a value group's end and the match end, where not 0 (a closing quote, the `@` of userinfo). */
type GroupTails = Readonly<Partial<Record<'v' | 'v1' | 'v2' | 'v3', number>>>;
const VALUE_GROUPS = ['v', 'v1', 'v2', 'v3'] as const;

/**
 * The first participating named group among `v`, `v1`, `v2`, `v3`, else the whole match. The patterns have no `d`
 * flag (its indices cost ~0.7 µs per match in V8): every value group ends `tails[name]` chars before the match end
 * (only lookaheads or a closing literal follow it), so its range follows from its length.
 */
function valueRange(m: RegExpExecArray, tails: GroupTails = {}): Located {
  const g = m.groups;
  if (g) {
    for (const name of VALUE_GROUPS) {
      const v = g[name];
      if (v !== undefined) {
        const end = m.index + m[0].length - (tails[name] ?? 0);
        return { start: end - v.length, end };
      }
    }
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

const REPLACEMENT_TOKEN = /^\[[A-Za-z][A-Za-z0-9_]*\]$/;
const PLACEHOLDER =
  /^(?:\*+|x{3,}|X{3,}|\.{3,}|-+|null|none|nil|undefined|true|false|yes|no|on|off|empty|redacted|<[^>]*>|\$\{.*\}|\{\{.*\}\}|%\(.*\)s?|\$[A-Z_][A-Z0-9_]*)$/i;

/** First chars PLACEHOLDER or REPLACEMENT_TOKEN can match: anything else is no placeholder, without running them. */
const PLACEHOLDER_FIRST = charTable(/[*xX.\-nNuUtTfFyYoOeErR<${%[]/);

/** Values that are already masked, templated or plainly not secrets. */
function isPlaceholder(v: string): boolean {
  if (v.length === 0 || PLACEHOLDER_FIRST[v.charCodeAt(0) & 0xff] === 0) return false;
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

// Words that follow "password is …" in error messages rather than an actual password.
const PROSE_STOPWORDS = new Set([
  'incorrect',
  'invalid',
  'wrong',
  'required',
  'expired',
  'missing',
  'empty',
  'not',
  'too',
  'set',
  'correct',
  'weak',
  'strong',
  'blank',
  'null',
  'changed',
  'reset',
  'the',
  'a',
  'an',
  'being',
  'now',
  'still',
  'valid',
  'mandatory',
  'optional',
  'disabled',
  'enabled',
  'locked',
  'stored',
  'hashed',
  'encrypted',
  'same',
  'different',
  'ok',
  'good',
  'bad',
  'unknown',
  'needed',
  'updated',
  'accepted',
  'rejected',
  'provided',
  'present',
  'absent',
  'mismatched',
]);

const DB_SCHEMES = new Set([
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'oracle',
  'cockroachdb',
  'clickhouse',
  'cassandra',
  'couchdb',
  'neo4j',
  'memcached',
]);

/** What URL userinfo under a database scheme is reported as. */
const DB_URL_CREDENTIALS = { type: 'DBCredentials', specificity: 80 } as const;

const JAVA_ROOT_PACKAGE = /^(?:java|javax|jdk|sun|scala|kotlin|android|androidx)\./;
const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const VERSION_CONTEXT = /(?:version|release|build|ver)[ \t]*[:=]?[ \t]*$/i;

export const BUILTIN_RULES: readonly Rule[] = [
  {
    type: 'PrivateKey',
    id: 'private-key',
    specificity: 100,
    prefixes: ['-----BEGIN '],
    // A full PEM block (raw or with escaped \n as in JSON), or a header followed by key lines when the END is cut off.
    // The body stops at the next BEGIN, so a run of unterminated headers costs linear, not quadratic, time.
    regex:
      /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:(?:[^-]|-(?!----BEGIN )){0,16384}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----|(?:(?:\r?\n|\\(?:r\\)?n)(?:[A-Za-z0-9+/=]{1,100}|[A-Za-z-]{1,32}: [A-Za-z0-9,-]{1,100})(?![^\r\n"'\\])){1,150})/g,
    locate: (_s, m) => whole(m),
  },
  {
    type: 'SlackWebhook',
    id: 'slack-webhook',
    specificity: 95,
    prefixes: ['https://hooks.slack.com/'],
    regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,256}/g,
    locate: (_s, m) => whole(m),
  },
  {
    type: 'SlackToken',
    id: 'slack-token',
    specificity: 90,
    prefixes: ['xox', 'xapp-'],
    regex: /(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'GitHubToken',
    id: 'standalone-token',
    specificity: 90,
    prefixes: ['gh', 'github_pat_'],
    regex: /(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,247})(?![A-Za-z0-9_])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'GitLabToken',
    id: 'standalone-token',
    specificity: 90,
    prefixes: ['glpat-'],
    regex: /glpat-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'GoogleAPIKey',
    id: 'standalone-token',
    specificity: 90,
    prefixes: ['AIza'],
    regex: /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'StripeKey',
    id: 'standalone-token',
    specificity: 90,
    prefixes: ['sk_', 'rk_'],
    regex: /[sr]k_(?:live|test)_[A-Za-z0-9]{10,247}(?![A-Za-z0-9_])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'AnthropicKey',
    id: 'anthropic-key',
    specificity: 91,
    prefixes: ['sk-ant-'],
    regex: /sk-ant-(?:api|admin|oat)\d\d-[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'OpenAIKey',
    id: 'openai-key',
    specificity: 89,
    prefixes: ['sk-'],
    regex: /sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,250}(?![A-Za-z0-9_-])/g,
    locate: (s, m) => {
      if (inTable(TOKEN, s, m.index - 1) || m[0].startsWith('sk-ant-')) return null;
      // Real keys mix upper, lower and digits; `sk-some-long-hyphenated-words` does not.
      return /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0].slice(3)) && /\d/.test(m[0]) ? whole(m) : null;
    },
  },
  {
    type: 'NpmToken',
    id: 'npm-token',
    specificity: 90,
    prefixes: ['npm_', '_authToken'],
    regex: /npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])|_authToken[ \t]*=[ \t]*["']?(?<v>[A-Za-z0-9._~+/=-]{8,512})/g,
    locate: (s, m) => (m[0].startsWith('npm_') && inTable(TOKEN, s, m.index - 1) ? null : valueRange(m)),
  },
  {
    type: 'AWSAccessKey',
    id: 'standalone-alnum',
    specificity: 90,
    prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA'],
    regex: /(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    locate: standalone(ALNUM),
  },
  {
    type: 'AWSSecretKey',
    id: 'assigned-value',
    specificity: 90,
    prefixes: ['aws_secret', 'awssecret', 'secret'],
    regex:
      /(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?[ \t]*[:=][ \t]*["']?(?<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    locate: assignedValue(),
  },
  {
    type: 'JWT',
    id: 'jwt',
    specificity: 85,
    prefixes: ['eyJ'],
    regex: /eyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{0,1024}(?![A-Za-z0-9_-])/g,
    locate: standalone(TOKEN),
  },
  {
    type: 'AzureStorageKey',
    id: 'value-group',
    specificity: 85,
    prefixes: ['AccountKey=', 'SharedAccessKey=', '?sig=', '&sig='],
    regex:
      /(?:AccountKey|SharedAccessKey)=(?<v1>[A-Za-z0-9+/]{20,200}={0,2})|[?&]sig=(?<v2>[A-Za-z0-9%+/]{20,200}(?:%3D|=){0,2})/g,
    locate: (_s, m) => valueRange(m),
  },
  {
    // URL userinfo. Database schemes are reported as DBCredentials, everything else as URLCredentials.
    type: 'URLCredentials',
    id: 'url-credentials',
    specificity: 75,
    prefixes: ['://'],
    regex: /:\/\/(?<v>[^ \t\r\n:@/?#"'<>]{0,128}:[^ \t\r\n@/?#"'<>]{1,256})@(?=[A-Za-z0-9[])/g,
    locate: (s, m) => {
      let i = m.index;
      while (i > 0 && m.index - i < 32 && inTable(SCHEME_CHARS, s, i - 1)) i--;
      if (i === m.index || inTable(SCHEME_CHARS, s, i - 1)) return null;
      const scheme = s.slice(i, m.index).toLowerCase();
      const r = valueRange(m, { v: 1 });
      const password = s.slice(s.indexOf(':', r.start) + 1, r.end);
      if (isPlaceholder(password)) return null;
      return DB_SCHEMES.has(scheme) ? { ...r, ...DB_URL_CREDENTIALS } : r;
    },
  },
  {
    type: 'DBCredentials',
    id: 'assigned-value',
    specificity: 80,
    prefixes: ['server', 'data source', 'host', 'addr', 'jdbc:'],
    // SQL Server / ADO.NET style `Server=…;…;Password=…` and JDBC `?password=` parameters.
    regex:
      /(?:server|data source|host|address|addr)[ \t]*=[^;\r\n]{1,256};(?:[^;\r\n]{0,256};){0,12}?[ \t]*(?:password|pwd)[ \t]*=[ \t]*(?<v1>[^;\r\n"']{1,256})|jdbc:[A-Za-z0-9]+:[^ \t\r\n"'<>]{0,512}?[?&;]password=(?<v2>[^&; \t\r\n"'<>]{1,256})/gi,
    locate: assignedValue(),
  },
  {
    type: 'BearerToken',
    id: 'assigned-value-entropy-3.5',
    specificity: 70,
    prefixes: ['bearer'],
    regex: /bearer[ \t]+(?<v>[A-Za-z0-9._~+/-]{8,4096}=*)(?![A-Za-z0-9._~+/=-])/gi,
    locate: assignedValue(3.5),
  },
  {
    type: 'AuthHeader',
    id: 'assigned-value-entropy-3',
    specificity: 68,
    prefixes: ['authorization'],
    regex:
      /authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:basic|bearer|token|apikey|api-key|digest|negotiate|ntlm|aws4-hmac-sha256)[ \t]+)?(?<v>[A-Za-z0-9._~+/=:,-]{6,4096})/gi,
    locate: assignedValue(3),
  },
  {
    type: 'Cookie',
    id: 'cookie',
    specificity: 65,
    prefixes: ['set-cookie', 'cookie'],
    regex:
      /set-cookie["']?[ \t]*:[ \t]*(?<v1>[^\r\n"';]{1,4096})|cookie["']?[ \t]*[:=][ \t]*["']?(?<v2>[^\r\n"']{1,4096})/gi,
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
    id: 'assigned-value-entropy-3.5',
    specificity: 64,
    prefixes: ['jsessionid', 'phpsessid', 'connect.sid', 'sess', 'csrf', 'xsrf'],
    regex:
      /(?:jsessionid|phpsessid|connect\.sid|session[_-]?(?:id|token|key)|sessid|session|csrf[_-]?token|xsrf[_-]?token)["']?[ \t]*[:=][ \t]*["']?(?<v>[A-Za-z0-9._~%+/=-]{8,256})/gi,
    locate: assignedValue(3.5),
  },
  {
    type: 'APIKey',
    id: 'assigned-value',
    specificity: 62,
    // Each keyword spelled out (`api[_-]?key` → api_key, api-key, apikey): short stems such as `app` are everywhere.
    prefixes: [
      'x-api-key',
      'api_key',
      'api-key',
      'apikey',
      'api_token',
      'api-token',
      'apitoken',
      'api_secret',
      'api-secret',
      'apisecret',
      'access_token',
      'access-token',
      'accesstoken',
      'auth_token',
      'auth-token',
      'authtoken',
      'refresh_token',
      'refresh-token',
      'refreshtoken',
      'client_secret',
      'client-secret',
      'clientsecret',
      'app_secret',
      'app-secret',
      'appsecret',
      'secret_key',
      'secret-key',
      'secretkey',
      'private_token',
      'private-token',
      'privatetoken',
    ],
    regex:
      /(?:x-api-key|api[_-]?key|apikey|api[_-]?token|api[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|app[_-]?secret|secret[_-]?key|private[_-]?token)["']?[ \t]*[:=][ \t]*["']?(?<v>[A-Za-z0-9._~+/=-]{8,512})/gi,
    locate: assignedValue(),
  },
  {
    type: 'Password',
    id: 'password-assignment',
    specificity: 60,
    prefixes: ['pass', 'pwd', 'secret'],
    regex:
      /(?:password|passwd|passphrase|pwd|secret)["']?[ \t]*[:=][ \t]*(?:"(?<v1>[^"\r\n]{1,256})"|'(?<v2>[^'\r\n]{1,256})'|(?<v3>[^ \t\r\n"',;&]{1,256}))/gi,
    locate: (s, m) => {
      const r = valueRange(m, { v1: 1, v2: 1 }); // v1, v2 sit inside quotes
      // "(using password: YES)": a closing bracket with no opening one belongs to the prose, not the value.
      if (')]}'.includes(s[r.end - 1]!) && !/[([{]/.test(s.slice(r.start, r.end))) r.end--;
      return r.end > r.start && !isPlaceholder(s.slice(r.start, r.end)) ? r : null;
    },
  },
  {
    // Plain language: "the password is hunter2", "passcode was: 1234abcd".
    type: 'Password',
    id: 'password-prose',
    specificity: 60,
    prefixes: ['pass'],
    regex:
      /(?:password|passphrase|passcode)[ \t]+(?:is|was|=|:|set to|changed to)[ \t]*:?[ \t]+["']?(?<v>[^ \t\r\n"',;]{3,256})/gi,
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
    id: 'iban',
    specificity: 55,
    wordStart: {
      first: UPPER,
      notAfter: '',
      next: UPPER,
      next2: DIGITS,
      check: (s, p) => isUpper(s, p + 1) && isDigit(s, p + 2) && isDigit(s, p + 3),
    },
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
    id: 'credit-card',
    specificity: 54,
    wordStart: {
      first: '23456',
      notAfter: '_.-',
      next: DIGITS,
      next2: DIGITS,
      // Four digits, then more digits (13-19 in all) or a separator and four digits.
      check: (s, p) =>
        digitRun(s, p + 1, 3) &&
        (digitRun(s, p + 4, 9) || ((s[p + 4] === ' ' || s[p + 4] === '-') && digitRun(s, p + 5, 4))) &&
        !inTable(NUMERIC_DASH_CTX, s, p - 1),
    },
    regex:
      /[2-6]\d{3}(?:\d{9,15}|([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|[ -]\d{6}[ -]\d{4,5})(?![A-Za-z0-9_]|[.-]\d)/g,
    locate: (s, m) => {
      if (inTable(NUMERIC_DASH_CTX, s, m.index - 1)) return null;
      return cardNumberValid(m[0].replace(/[ -]/g, '')) ? whole(m) : null;
    },
  },
  {
    type: 'SSN',
    id: 'ssn',
    specificity: 53,
    wordStart: {
      first: DIGITS,
      notAfter: '_.-',
      next: DIGITS,
      next2: DIGITS,
      check: (s, p) => s[p + 3] === '-' && s[p + 6] === '-' && !inTable(NUMERIC_DASH_CTX, s, p - 1),
    },
    regex: /(\d{3})-(\d{2})-(\d{4})(?![A-Za-z0-9_]|[.-]\d)/g,
    locate: (s, m) => (inTable(NUMERIC_DASH_CTX, s, m.index - 1) || !ssnValid(m[1]!, m[2]!, m[3]!) ? null : whole(m)),
  },
  {
    // Anchored on `@`; the local part is found by scanning left.
    type: 'Email',
    id: 'email',
    specificity: 50,
    prefixes: ['@'],
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
    id: 'mac',
    specificity: 45,
    // The span starts two (dotted: four) hex digits before the separator the pattern is anchored on.
    wordStart: {
      first: HEX_DIGITS,
      notAfter: '_.-:',
      next: HEX_DIGITS,
      next2: `${HEX_DIGITS}:-`,
      check: (s, p) => s[p + 2] === ':' || s[p + 2] === '-' || (s[p + 4] === '.' && isHex(s, p + 2) && isHex(s, p + 3)),
      matchAt: (s, p) => (s[p + 4] === '.' ? p + 4 : p + 2),
    },
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
    id: 'ipv6',
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
    id: 'ipv4',
    specificity: 43,
    wordStart: {
      first: DIGITS,
      notAfter: '_.',
      next: `${DIGITS}.`,
      next2: `${DIGITS}.`,
      check: (s, p) => dottedQuad(s, p) && !inTable(NUMERIC_CTX, s, p - 1),
    },
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
    id: 'phone-nanp',
    specificity: 40,
    wordStart: {
      first: '+1(23456789',
      notAfter: '_.-+',
      next: `${DIGITS} .-`,
      next2: `${DIGITS} .-(`,
      check: (s, p) => !inTable(NUMERIC_DASH_CTX, s, p - 1) && s[p - 1] !== '+' && nanpHead(s, p),
    },
    // NANP with a consistent separator or (area) code, optionally +1 / 1- prefixed.
    regex:
      /(?:\+1[ .-]?|1[ .-])?(?:\([2-9]\d\d\) ?[2-9]\d\d[ .-]\d{4}|[2-9]\d\d([ .-])[2-9]\d\d\1\d{4})(?![A-Za-z0-9_]|[.-]\d)/g,
    locate: (s, m) => (inTable(NUMERIC_DASH_CTX, s, m.index - 1) || s[m.index - 1] === '+' ? null : whole(m)),
  },
  {
    // E.164 / international: `+` then 8-15 digits, compact or grouped.
    type: 'Phone',
    id: 'phone-international',
    specificity: 40,
    wordStart: { first: '+', notAfter: '', next: '123456789', next2: `${DIGITS} .-`, check: () => true },
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
    id: 'hostname',
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

/** The last labels the Hostname rule accepts: the TLDs and each internal suffix's last label. */
export function hostnameLabels(internalSuffixes: readonly string[]): string[] {
  const labels = new Set(HOSTNAME_TLDS);
  for (const suffix of internalSuffixes) labels.add(suffix.slice(suffix.lastIndexOf('.') + 1));
  return [...labels];
}

/** The Hostname anchor for a set of internal suffixes: `.` followed by an accepted last label. */
export function hostnameAnchor(internalSuffixes: readonly string[]): RegExp {
  const alternation = hostnameLabels(internalSuffixes)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((l) => l.replace(/[^A-Za-z0-9]/g, (c) => `\\${c}`))
    .join('|');
  return new RegExp(`\\.(?:${alternation})(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'gi');
}

// The dotted-IPv4-tail form is tried first: the plain hex-colon run would stop at the tail's first dot.
const IPV6_BODY = /(?:[0-9A-Fa-f]{0,4}:){2,6}(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f:]{2,45}/y;

/** Every built-in type name, in rule order. */
export const PII_TYPES: readonly string[] = Object.freeze([
  ...new Set([...BUILTIN_RULES.map((r) => r.type), 'DBCredentials']),
]);

/**
 * What the native scanner (native/redact) needs besides the rules themselves: the same tables and helper patterns
 * the `locate` functions above use, so they are defined once, here.
 */
export const LOCATE_DATA = {
  placeholder: PLACEHOLDER,
  replacementToken: REPLACEMENT_TOKEN,
  placeholderFirst: PLACEHOLDER_FIRST,
  proseStopwords: PROSE_STOPWORDS,
  dbSchemes: DB_SCHEMES,
  dbUrlCredentials: DB_URL_CREDENTIALS,
  javaRootPackage: JAVA_ROOT_PACKAGE,
  versionContext: VERSION_CONTEXT,
  ipv6Body: IPV6_BODY,
} as const;
