/**
 * Deterministic generator of realistic, labelled log lines: nginx/Apache access, syslog, JSON lines, Java stack
 * traces, Kubernetes events, SQL errors, curl commands and env dumps, with planted fake-but-valid-shaped secrets and
 * PII (each labelled with type and byte offsets) among noise that must survive (versions, UUIDs, hashes, file names…).
 * Used by the labelled corpus test (precision/recall) and by the benchmark.
 */

export interface Label {
  type: string;
  start: number;
  end: number;
}

export interface LabelledLine {
  line: string;
  labels: Label[];
}

type Part = string | { type: string; value: string };

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;

class Gen {
  constructor(readonly r: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.r() * alphabet.length)];
    return s;
  }
  /** Mixed-case alphanumerics guaranteed to contain an upper, a lower and a digit. */
  secret(n: number): string {
    return `${this.chars('ABCDEFGHJKMNPQRSTUVWXYZ', 1)}${this.chars('abcdefghijkmnpqrstuvwxyz', 1)}${this.int(2, 9)}${this.chars(ALNUM, n - 3)}`;
  }
  pad(n: number, w: number): string {
    return String(n).padStart(w, '0');
  }

  // ---- noise (must survive) ----
  ts(): string {
    return `2024-12-${this.pad(this.int(1, 28), 2)}T${this.pad(this.int(0, 23), 2)}:${this.pad(this.int(0, 59), 2)}:${this.pad(this.int(0, 59), 2)}.${this.pad(this.int(0, 999), 3)}Z`;
  }
  uuid(): string {
    return `${this.chars(HEX, 8)}-${this.chars(HEX, 4)}-4${this.chars(HEX, 3)}-a${this.chars(HEX, 3)}-${this.chars(HEX, 12)}`;
  }
  version(): string {
    return this.pick([
      `${this.int(1, 9)}.${this.int(0, 20)}.${this.int(0, 30)}`,
      `1.2.3.4-beta`,
      `v2.${this.int(0, 9)}.1-rc.${this.int(1, 5)}`,
      '4.2.1',
    ]);
  }
  file(): string {
    return this.pick([
      'app.log',
      'index.js',
      'server.py',
      'build.sh',
      'README.md',
      'config.yaml',
      'main.go',
      'lib.rs',
      'archive.tar.gz',
      'model.pt',
    ]);
  }
  javaClass(): string {
    return this.pick([
      'c.e.api.UserController',
      'com.example.service.OrderService',
      'org.apache.kafka.clients.consumer.KafkaConsumer',
      'java.io.IOException',
      'io.netty.channel.AbstractChannel',
    ]);
  }
  sha(): string {
    return this.chars(HEX, this.pick([7, 40, 64]));
  }

  // ---- planted values, each a fake but valid-shaped instance ----
  ipv4(): string {
    return this.pick([
      `10.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`,
      `192.168.${this.int(0, 255)}.${this.int(1, 254)}`,
      `203.0.113.${this.int(1, 254)}`,
      `172.16.${this.int(0, 31)}.${this.int(1, 254)}`,
    ]);
  }
  ipv6(): string {
    return this.pick([
      `2001:db8::${this.chars(HEX, 4)}:${this.chars(HEX, 3)}`,
      `fe80::1ff:fe23:${this.chars(HEX, 4)}:890a`,
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      `2001:db8:${this.int(1, 9999)}::1`,
    ]);
  }
  email(): string {
    return `${this.pick(['jane.doe', 'ops+alerts', 'john_smith', 'a.b'])}${this.int(1, 99)}@${this.pick(['example.com', 'mail.example.org', 'example.net'])}`;
  }
  hostname(): string {
    return this.pick([
      `db${this.int(1, 99)}.prod.example.com`,
      'api.example.net',
      `cache-${this.int(1, 9)}.eu-west-1.example.io`,
      'www.example.org',
    ]);
  }
  mac(): string {
    const sep = this.pick([':', '-']);
    return Array.from({ length: 6 }, () => this.chars('0123456789ABCDEF', 2)).join(sep);
  }
  phone(): string {
    return this.pick([
      `(212) 555-01${this.pad(this.int(0, 99), 2)}`,
      `+1 415 555 01${this.pad(this.int(0, 99), 2)}`,
      `+44 20 7946 0${this.pad(this.int(0, 999), 3)}`,
      `646-555-01${this.pad(this.int(0, 99), 2)}`,
      `+4930${this.int(1000000, 9999999)}`,
    ]);
  }
  ssn(): string {
    const area = this.int(1, 665);
    return `${this.pad(area === 666 ? 667 : area, 3)}-${this.pad(this.int(1, 99), 2)}-${this.pad(this.int(1, 9999), 4)}`;
  }
  card(): string {
    const raw = this.pick([
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '4012888888881881',
      this.luhnVisa(),
    ]);
    const sep = this.pick(['', ' ', '-']);
    if (sep === '' || raw.length !== 16) return raw;
    return raw.match(/.{4}/g)!.join(sep);
  }
  private luhnVisa(): string {
    const body = `4${this.chars('0123456789', 14)}`;
    for (let d = 0; d < 10; d++) {
      const n = body + d;
      let sum = 0;
      for (let i = 0; i < 16; i++) {
        let x = Number(n[15 - i]);
        if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
        sum += x;
      }
      if (sum % 10 === 0) return n;
    }
    return '4111111111111111';
  }
  iban(): string {
    return this.pick([
      'GB82WEST12345698765432',
      'GB82 WEST 1234 5698 7654 32',
      'DE89370400440532013000',
      'DE89 3704 0044 0532 0130 00',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
    ]);
  }
  awsKeyId(): string {
    return this.pick(['AKIAIOSFODNN7EXAMPLE', `AKIA${this.chars(UPPER_NUM, 16)}`, `ASIA${this.chars(UPPER_NUM, 16)}`]);
  }
  awsSecret(): string {
    return this.pick(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', this.chars(B64, 40)]);
  }
  slackToken(): string {
    return this.pick([
      `xoxb-${this.int(1e11, 9e11)}-${this.int(1e12, 9e12)}-${this.chars(ALNUM, 24)}`,
      `xoxp-${this.int(1e11, 9e11)}-${this.int(1e11, 9e11)}-${this.int(1e12, 9e12)}-${this.chars(HEX, 32)}`,
      `xapp-1-A${this.chars(UPPER_NUM, 10)}-${this.int(1e12, 9e12)}-${this.chars(HEX, 64)}`,
    ]);
  }
  slackWebhook(): string {
    return `https://hooks.slack.com/services/T${this.chars(UPPER_NUM, 8)}/B${this.chars(UPPER_NUM, 8)}/${this.chars(ALNUM, 24)}`;
  }
  githubToken(): string {
    return this.pick([
      `ghp_${this.chars(ALNUM, 36)}`,
      `gho_${this.chars(ALNUM, 36)}`,
      `ghs_${this.chars(ALNUM, 36)}`,
      `github_pat_11${this.chars(UPPER_NUM, 20)}_${this.chars(ALNUM, 59)}`,
    ]);
  }
  gitlabToken(): string {
    return `glpat-${this.chars(`${ALNUM}_-`, 20)}`;
  }
  googleKey(): string {
    return `AIza${this.chars(`${ALNUM}_-`, 35)}`;
  }
  stripeKey(): string {
    return `${this.pick(['sk_live_', 'rk_live_', 'sk_test_'])}${this.chars(ALNUM, 24)}`;
  }
  openaiKey(): string {
    return this.pick([`sk-proj-${this.secret(48)}`, `sk-${this.secret(48)}`]);
  }
  anthropicKey(): string {
    return `sk-ant-api03-${this.secret(93)}`;
  }
  npmToken(): string {
    return `npm_${this.chars(ALNUM, 36)}`;
  }
  jwt(): string {
    return this.pick([
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      `eyJhbGciOiJSUzI1NiJ9.eyJ${this.chars(`${ALNUM}_-`, 60)}.${this.chars(`${ALNUM}_-`, 86)}`,
    ]);
  }
  password(): string {
    return this.pick([
      `hunter${this.int(2, 99)}`,
      `S3cr3t!${this.int(10, 99)}`,
      `Tr0ub4dor&3`.replace('&', ''),
      `pa55w0rd-${this.chars(ALNUM, 6)}`,
    ]);
  }
  token(n = 32): string {
    return this.secret(n);
  }
  azureKey(): string {
    return `${this.chars(B64, 86)}==`;
  }
  pemEscaped(): string {
    return `-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA${this.chars(B64, 48)}\\n${this.chars(B64, 64)}\\n-----END RSA PRIVATE KEY-----`;
  }
}

const t = (type: string, value: string): Part => ({ type, value });

/** Templates: each returns the parts of one line. Weighted toward formats real incident logs are made of. */
const TEMPLATES: Array<(g: Gen) => Part[]> = [
  // nginx access
  (g) => [
    t('IPv4', g.ipv4()),
    ` - - [04/Dec/2024:15:${g.pad(g.int(0, 59), 2)}:${g.pad(g.int(0, 59), 2)} +0000] "GET /api/v1/orders/${g.int(1, 99999)}?page=${g.int(1, 9)} HTTP/1.1" ${g.pick([200, 201, 304, 404, 500])} ${g.int(100, 99999)} "-" "curl/8.4.0" rt=0.${g.int(1, 999)}`,
  ],
  // Apache with user email in query
  (g) => [
    t('IPv4', g.ipv4()),
    ` - - [04/Dec/2024:10:00:0${g.int(0, 9)} +0000] "POST /login?email=`,
    t('Email', g.email()),
    ` HTTP/1.1" 302 ${g.int(0, 999)}`,
  ],
  // syslog sshd
  (g) => [
    `Dec  4 15:44:${g.pad(g.int(0, 59), 2)} web0${g.int(1, 9)} sshd[${g.int(100, 99999)}]: Accepted publickey for deploy from `,
    t('IPv4', g.ipv4()),
    ` port ${g.int(1024, 65535)} ssh2`,
  ],
  // syslog dhcp with MAC
  (g) => [
    `Dec  4 15:44:${g.pad(g.int(0, 59), 2)} gw dhcpd[${g.int(100, 9999)}]: DHCPACK on `,
    t('IPv4', g.ipv4()),
    ' to ',
    t('MAC', g.mac()),
    ' via eth0',
  ],
  // IPv6 connection
  (g) => [
    `${g.ts()} WARN  [netty-${g.int(1, 8)}] io.netty.channel.AbstractChannel - connection reset by [`,
    t('IPv6', g.ipv6()),
    `]:${g.int(1024, 65535)} after ${g.int(1, 999)}ms`,
  ],
  // JSON line, noise only
  (g) => [
    `{"ts":"${g.ts()}","level":"info","msg":"request done","trace_id":"${g.uuid()}","duration_ms":${g.int(1, 9999)},"version":"${g.version()}","file":"${g.file()}"}`,
  ],
  // JSON line with email and phone
  (g) => [
    `{"ts":"${g.ts()}","level":"error","msg":"notify failed","user":"`,
    t('Email', g.email()),
    '","phone":"',
    t('Phone', g.phone()),
    `","request_id":"${g.uuid()}"}`,
  ],
  // JSON line with password
  (g) => [
    `{"ts":"${g.ts()}","event":"login","payload":{"username":"jdoe","password":"`,
    t('Password', g.password()),
    `"},"sha":"${g.sha()}"}`,
  ],
  // Java stack trace lines (noise)
  (g) => [
    `    at ${g.javaClass()}.handle(${g.pick(['UserController', 'OrderService'])}.java:${g.int(1, 999)}) ~[app-${g.version()}.jar:?]`,
  ],
  (g) => [
    `${g.ts()} ERROR [main] ${g.javaClass()} - failed to load ${g.file()} (commit ${g.sha()}) took ${g.int(1, 900)}ms`,
  ],
  // Kubernetes event
  (g) => [
    `${g.ts()} Warning BackOff pod/api-${g.chars(HEX, 10)}-${g.chars(HEX, 5)} Back-off restarting failed container, node `,
    t('Hostname', g.hostname()),
    ` pod IP `,
    t('IPv4', g.ipv4()),
  ],
  // SQL error with connection string
  (g) => [
    `${g.ts()} ERROR psql: could not connect to postgres://`,
    t('DBCredentials', `app:${g.password()}`),
    '@',
    t('Hostname', g.hostname()),
    `:5432/orders (SQLSTATE 08006)`,
  ],
  (g) => [
    `${g.ts()} ERROR SqlException: Login failed. Server=tcp:sql01,1433;Database=orders;User ID=sa;Password=`,
    t('DBCredentials', g.password()),
    ';Encrypt=true',
  ],
  // curl with auth header
  (g) => [
    `curl -sS -H "Authorization: Bearer `,
    t('BearerToken', g.token(40)),
    `" -H "Accept: application/json" https://`,
    t('Hostname', g.hostname()),
    `/v2/items?limit=${g.int(1, 100)}`,
  ],
  (g) => [
    `curl -u admin -H 'Authorization: Basic `,
    t('AuthHeader', Buffer.from(`admin:${g.password()}`).toString('base64')),
    `' http://`,
    t('IPv4', g.ipv4()),
    `:${g.pick([8080, 9200, 3000])}/health`,
  ],
  // env dumps
  (g) => ['AWS_ACCESS_KEY_ID=', t('AWSAccessKey', g.awsKeyId())],
  (g) => ['AWS_SECRET_ACCESS_KEY=', t('AWSSecretKey', g.awsSecret())],
  (g) => ['SLACK_BOT_TOKEN=', t('SlackToken', g.slackToken())],
  (g) => ['ALERT_WEBHOOK=', t('SlackWebhook', g.slackWebhook())],
  (g) => ['GITHUB_TOKEN=', t('GitHubToken', g.githubToken())],
  (g) => [`${g.ts()} DEBUG git clone using token `, t('GitLabToken', g.gitlabToken()), ` for repo ${g.file()}`],
  (g) => ['GOOGLE_MAPS_KEY=', t('GoogleAPIKey', g.googleKey())],
  (g) => ['STRIPE_SECRET=', t('StripeKey', g.stripeKey())],
  (g) => ['OPENAI_KEY=', t('OpenAIKey', g.openaiKey())],
  (g) => ['ANTHROPIC_KEY=', t('AnthropicKey', g.anthropicKey())],
  (g) => ['//', t('Hostname', 'registry.npmjs.org'), '/:_authToken=', t('NpmToken', g.npmToken())],
  (g) => [`${g.ts()} INFO auth ok session token=`, t('JWT', g.jwt())],
  (g) => [`{"kind":"Secret","data":{"tls.key":"`, t('PrivateKey', g.pemEscaped()), '"}}'],
  (g) => [
    'AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acct',
    `${g.int(1, 99)}`,
    ';AccountKey=',
    t('AzureStorageKey', g.azureKey()),
    ';EndpointSuffix=',
    t('Hostname', 'core.windows.net'),
  ],
  (g) => [
    `${g.ts()} INFO git fetch https://`,
    t('URLCredentials', `deploy:${g.password()}`),
    '@',
    t('Hostname', g.hostname()),
    '/org/repo.git',
  ],
  (g) => [`${g.ts()} DEBUG config api_key=`, t('APIKey', g.token(32)), ` region=eu-west-1 retries=${g.int(1, 5)}`],
  (g) => [`${g.ts()} WARN user reset: the password is `, t('Password', g.password())],
  (g) => ['Cookie: ', t('Cookie', `sessionid=${g.chars(HEX, 32)}; csrftoken=${g.chars(ALNUM, 32)}`)],
  (g) => [`${g.ts()} DEBUG restored session_id=`, t('SessionId', g.chars(HEX, 32)), ` for request ${g.uuid()}`],
  (g) => [
    `${g.ts()} INFO payment failed card=`,
    t('CreditCard', g.card()),
    ` amount=${g.int(1, 999)}.${g.pad(g.int(0, 99), 2)} currency=USD`,
  ],
  (g) => [`${g.ts()} INFO kyc check ssn=`, t('SSN', g.ssn()), ` result=pending`],
  (g) => [`${g.ts()} INFO payout iban=`, t('IBAN', g.iban()), ` ref=${g.uuid()}`],
  (g) => [`${g.ts()} INFO sms queued to `, t('Phone', g.phone()), ` via provider v${g.version()}`],
  // harder look-alikes: real-world lines that trip careless patterns
  (g) => [`ERROR 1045 (28000): Access denied for user 'app'@'`, t('IPv4', g.ipv4()), `' (using password: YES)`],
  (g) => [
    `${g.ts()} kubelet: pulled image `,
    t('Hostname', 'registry.k8s.io'),
    `/pause:3.9 for pod api-${g.chars(HEX, 9)}-${g.chars(HEX, 5)}`,
  ],
  (g) => [
    `${g.ts()} payment id 4111111111111112 declined; order_total=${g.int(1, 9999)}.${g.pad(g.int(0, 99), 2)} sku=AB-${g.int(1000, 9999)}-${g.int(1000, 9999)}`,
  ],
  (g) => [
    `${g.ts()} cron elapsed=${g.pad(g.int(0, 23), 2)}:${g.pad(g.int(0, 59), 2)}:${g.pad(g.int(0, 59), 2)}.${g.int(100, 999)} md5=${g.chars(HEX, 32)} body=SGVsbG8gV29ybGQh`,
  ],
  (g) => [
    `"GET /static/app.${g.chars(HEX, 8)}.js HTTP/2" 200 ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.6099.${g.int(10, 199)} Safari/537.36"`,
  ],
  (g) => [
    `    at sun.reflect.GeneratedMethodAccessor${g.int(1, 99)}.invoke(Unknown Source) [build 2024.12.04.${g.int(1, 9)}, os 10.0.19045.${g.int(1000, 9999)}]`,
  ],
  (g) => [
    `${g.ts()} metrics load=0.${g.int(10, 99)} 0.${g.int(10, 99)} ids ${g.uuid()} ${g.chars(HEX, 40)} count=${g.int(1e9, 9e9)} ratio=${g.int(1, 9)}.${g.int(1, 9)}`,
  ],
  // noise-heavy lines
  (g) => [
    `${g.ts()} INFO build ${g.version()} (${g.sha()}) listening on :${g.pick([8080, 3000, 443])} pid=${g.int(100, 99999)} uptime=${g.int(1, 59)}m${g.int(1, 59)}s`,
  ],
  (g) => [`${g.ts()} DEBUG user.name=jdoe item.id=${g.int(1, 9999)} log.info called from ${g.file()} java.io ok`],
];

/** One labelled line. Offsets are UTF-8 byte offsets within the line. */
export function labelledLine(g: Gen): LabelledLine {
  const parts = g.pick(TEMPLATES)(g);
  let line = '';
  let bytes = 0;
  const labels: Label[] = [];
  for (const p of parts) {
    const text = typeof p === 'string' ? p : p.value;
    const len = Buffer.byteLength(text);
    if (typeof p !== 'string') labels.push({ type: p.type, start: bytes, end: bytes + len });
    line += text;
    bytes += len;
  }
  return { line, labels };
}

export function labelledCorpus(lines: number, seed = 42): LabelledLine[] {
  const g = new Gen(rng(seed));
  return Array.from({ length: lines }, () => labelledLine(g));
}

/** Unlabelled text for the benchmark: `targetBytes` of lines (CRLF-free, newline-terminated). */
export function* logChunks(targetBytes: number, seed = 7, chunkLines = 4096): Generator<string> {
  const g = new Gen(rng(seed));
  let written = 0;
  while (written < targetBytes) {
    const lines: string[] = [];
    for (let i = 0; i < chunkLines; i++) lines.push(labelledLine(g).line);
    const chunk = `${lines.join('\n')}\n`;
    written += chunk.length;
    yield chunk;
  }
}

export { Gen };
