/**
 * Realistic log lines with planted, obviously fake but valid-shaped values. «…» marks the exact span expected; a line
 * may hold other spans too (e.g. the host after URL credentials). Never use real secrets here.
 */

export interface Positive {
  type: string;
  /** The line with the expected span between « and ». */
  marked: string;
}

export const PEM_BLOCK = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAEXAMPLEexampleEXAMPLEexampleEXAMPLEexampleEXAMPLE',
  'EXAMPLEexampleEXAMPLEexampleEXAMPLEexampleEXAMPLEexampleEXAMPLE0',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

const JWT_SAMPLE =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const AZURE_KEY = `${'EXAMPLEexample0123456789'.repeat(3)}EXAMPLEexample+/==`;

export const POSITIVES: Positive[] = [
  // The original app's 12 types
  {
    type: 'URLCredentials',
    marked: '2024-12-04T15:44:54Z INFO git fetch https://«deploy:Xk9-example-pass»@git.example.com/org/repo.git',
  },
  { type: 'URLCredentials', marked: 'export HTTPS_PROXY=http://«svc_user:Pr0xyPass»@proxy.example.com:3128' },
  {
    type: 'BearerToken',
    marked: 'curl -sS -H "Authorization: Bearer «EXAMPLEtoken0123456789abcdef»" https://api.example.com/v1/items',
  },
  { type: 'BearerToken', marked: '{"level":"debug","headers":{"auth":"bearer «AbCdEf0123456789xyzEXAMPLE»"}}' },
  { type: 'APIKey', marked: '2024-12-04 15:44:54,123 DEBUG [cfg] loaded api_key=«A1b2C3d4E5f6G7h8» region=eu-west-1' },
  { type: 'APIKey', marked: 'GET /v2/search HTTP/1.1\r\nX-Api-Key: «k3y-EXAMPLE-0001»' },
  { type: 'APIKey', marked: '{"service":"maps","apiKey":"«AbC123xyz789QWE»","timeout_ms":500}' },
  {
    type: 'Password',
    marked: 'Dec  4 15:44:54 web01 app[311]: login attempt user=jdoe password=«hunter2» from console',
  },
  { type: 'Password', marked: 'DB_PASSWORD=«Tr0ub4dor3»' },
  { type: 'Password', marked: 'mysql: [Warning] pwd: «s3cr3t-pw» given on the command line' },
  { type: 'Password', marked: 'client_id=web secret=«topS3cret» scope=read' },
  { type: 'Password', marked: '{"user":"jdoe","password": "«correct horse battery»"}' },
  { type: 'Password', marked: '2024-12-04T15:44:54Z WARN support note: the password is «hunter2». Please rotate' },
  { type: 'Password', marked: 'ticket #4411: Password was: «Winter2024x» (temporary)' },
  { type: 'SSN', marked: '2024-12-04T15:44:54Z INFO kyc check ssn=«078-05-1120» result=pending' },
  { type: 'SSN', marked: '{"applicant":{"ssn":"«123-45-6789»","state":"NY"}}' },
  { type: 'CreditCard', marked: 'payment failed card=«4111 1111 1111 1111» amount=12.50 currency=USD' },
  {
    type: 'CreditCard',
    marked:
      'ERROR: duplicate key value violates unique constraint "cards_pkey" DETAIL: Key (pan)=(«5555-5555-5555-4444») already exists.',
  },
  { type: 'CreditCard', marked: '{"pan":"«378282246310005»","exp":"12/29"}' },
  {
    type: 'Email',
    marked: '203.0.113.9 - - [04/Dec/2024:15:44:54 +0000] "POST /login?email=«jane.doe@example.com» HTTP/1.1" 302 0',
  },
  { type: 'Email', marked: 'postfix/smtp[4242]: to=<«ops+alerts@mail.example.org»>, relay=none, status=deferred' },
  { type: 'MAC', marked: 'Dec  4 15:44:54 gw dhcpd[812]: DHCPACK on 10.0.0.12 to «00:1A:2B:3C:4D:5E» via eth0' },
  { type: 'MAC', marked: 'netplan: interface eth1 macaddress «00-1a-2b-3c-4d-5e» up' },
  { type: 'MAC', marked: '%SW_MATM-4-MACFLAP_NOTIF: Host «001a.2b3c.4d5e» in vlan 10 is flapping' },
  { type: 'IPv6', marked: 'upstream «2001:0db8:85a3:0000:0000:8a2e:0370:7334» timed out' },
  { type: 'IPv6', marked: 'connection reset by [«fe80::1ff:fe23:4567:890a»]:443 after 30ms' },
  { type: 'IPv6', marked: 'listening on «::1» port 8080' },
  { type: 'IPv6', marked: 'client «::ffff:192.0.2.1» closed the connection' },
  { type: 'IPv6', marked: 'k8s: Warning FailedMount pod ip «2001:db8::8a2e:370:7334», retrying' },
  { type: 'IPv4', marked: '«203.0.113.42» - - [04/Dec/2024:15:44:54 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.4.0"' },
  { type: 'IPv4', marked: 'FATAL: no pg_hba.conf entry for host "«10.0.0.255»", user "app", database "orders"' },
  {
    type: 'IPv4',
    marked: 'Dec  4 15:44:54 bastion sshd[99]: Failed password for root from «192.168.1.254» port 52211 ssh2',
  },
  { type: 'Phone', marked: 'sms queued to «(212) 555-0147» via provider' },
  { type: 'Phone', marked: '{"to":"«+1 415 555 0199»","status":"sent"}' },
  { type: 'Phone', marked: 'callback number «+44 20 7946 0958» registered' },
  { type: 'Phone', marked: 'contact: «212-555-0147»' },
  { type: 'Phone', marked: 'twilio: message to «+493012345678» delivered' },
  { type: 'Hostname', marked: 'ERROR c.e.db.Pool - could not reach «db01.prod.example.com»:5432 (timeout 30s)' },
  { type: 'Hostname', marked: 'Caused by: java.net.UnknownHostException: «api.example.net»' },
  // Secrets real logs leak
  { type: 'AWSAccessKey', marked: 'AWS_ACCESS_KEY_ID=«AKIAIOSFODNN7EXAMPLE»' },
  {
    type: 'AWSAccessKey',
    marked: 'botocore.exceptions.ClientError: InvalidClientTokenId for key «AKIAIOSFODNN7EXAMPLE»',
  },
  { type: 'AWSSecretKey', marked: 'aws_secret_access_key = «wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY»' },
  {
    type: 'AWSSecretKey',
    marked: '{"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"«wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY»"}',
  },
  { type: 'SlackToken', marked: 'SLACK_BOT_TOKEN=«xoxb-000000000000-0000000000000-EXAMPLEexampleEXAMPLE01»' },
  {
    type: 'SlackToken',
    marked:
      'slack: invalid_auth for token «xoxp-000000000000-000000000000-0000000000000-0123456789abcdef0123456789abcdef»',
  },
  {
    type: 'SlackToken',
    marked: 'socket mode with «xapp-1-A0EXAMPLE00-0000000000000-0123456789abcdef0123456789abcdef»',
  },
  {
    type: 'SlackWebhook',
    marked: 'POST «https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX» failed: 404',
  },
  { type: 'GitHubToken', marked: 'GITHUB_TOKEN=«ghp_EXAMPLEexampleEXAMPLEexample0123456789»' },
  {
    type: 'GitHubToken',
    marked:
      'remote: token «github_pat_11EXAMPLE0000000000000_exampleEXAMPLEexampleEXAMPLEexampleEXAMPLE0123456» expired',
  },
  {
    type: 'GitHubToken',
    marked: 'curl -H "Authorization: token «gho_EXAMPLEexampleEXAMPLEexample0123456789»" https://api.github.com/user',
  },
  {
    type: 'GitLabToken',
    marked: 'git clone https://oauth2@gitlab.example.com/grp/repo.git using «glpat-EXAMPLEexample012345»',
  },
  { type: 'GoogleAPIKey', marked: 'maps request key=«AIzaSyEXAMPLEexampleEXAMPLE0123456789ab» denied' },
  { type: 'StripeKey', marked: 'STRIPE_SECRET_KEY=«sk_live_EXAMPLEexample0123456789»' },
  { type: 'StripeKey', marked: 'stripe: restricted key «rk_live_EXAMPLE0123456789abcd» lacks permission' },
  { type: 'OpenAIKey', marked: 'OPENAI_API_KEY=«sk-proj-EXAMPLEexample0123456789EXAMPLEexample01»' },
  {
    type: 'AnthropicKey',
    marked: 'ANTHROPIC_API_KEY=«sk-ant-api03-EXAMPLEexample0123456789EXAMPLEexample0123456789-_EXAMPLE»',
  },
  { type: 'NpmToken', marked: 'npm ERR! 401 token «npm_EXAMPLEexampleEXAMPLEexample01234567» is invalid' },
  { type: 'NpmToken', marked: '//registry.npmjs.org/:_authToken=«00000000-0000-4000-8000-000000000000»' },
  { type: 'JWT', marked: `2024-12-04T15:44:54Z INFO auth ok id_token=«${JWT_SAMPLE}» user=jdoe` },
  {
    type: 'PrivateKey',
    marked: `Dec  4 15:44:54 ci runner: dumping env\n«${PEM_BLOCK}»\nDec  4 15:44:55 ci runner: done`,
  },
  { type: 'PrivateKey', marked: `{"kind":"Secret","data":{"tls.key":"«${PEM_BLOCK.replaceAll('\n', '\\n')}»"}}` },
  // A key cut off before its END line, inside a JSON string (`\n` escapes): the header and the key lines.
  {
    type: 'PrivateKey',
    marked: `{"msg":"loaded key","key":"«${PEM_BLOCK.split('\n').slice(0, 3).join('\\n')}»"}`,
  },
  {
    type: 'DBCredentials',
    marked: 'psql: error: could not connect to postgres://«app:s3cretPw»@db01.prod.example.com:5432/orders',
  },
  {
    type: 'DBCredentials',
    marked: 'MONGO_URL=mongodb+srv://«admin:M0ngoPass»@cluster0.example.net/test?retryWrites=true',
  },
  { type: 'DBCredentials', marked: 'redis: connecting to redis://«:r3disPass»@cache.example.com:6379/0' },
  { type: 'DBCredentials', marked: 'amqp: dial amqp://«guest:RabbitPw7»@mq.example.com:5672/ failed' },
  {
    type: 'DBCredentials',
    marked:
      'Login failed. Server=tcp:sql01.example.com,1433;Database=app;User ID=sa;Password=«Sql$erverPw1»;Encrypt=true',
  },
  {
    type: 'DBCredentials',
    marked: 'HikariPool-1 - jdbc:mysql://db.example.com:3306/app?user=app&password=«MyJdbcPw9»&useSSL=true',
  },
  {
    type: 'AzureStorageKey',
    marked: `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acct01;AccountKey=«${AZURE_KEY}»;EndpointSuffix=core.windows.net`,
  },
  {
    type: 'AzureStorageKey',
    marked: 'GET /container/blob.txt?sv=2022-11-02&se=2024-12-31&sig=«EXAMPLEexample0123456789%2Bab%3D» 403',
  },
  { type: 'IBAN', marked: 'payout iban=«GB82 WEST 1234 5698 7654 32» ref=7781' },
  { type: 'IBAN', marked: '{"iban":"«DE89370400440532013000»","bic":"COBADEFFXXX"}' },
  {
    type: 'AuthHeader',
    marked: "curl -u admin -H 'Authorization: Basic «dXNlcjpwYXNzd29yZA==»' http://localhost:9200/_cat",
  },
  { type: 'AuthHeader', marked: '{"headers":{"authorization":"Token «9f8e7d6c5b4a39281706»"}}' },
  { type: 'Cookie', marked: 'GET /account HTTP/1.1\r\nCookie: «sessionid=abc123def456; csrftoken=XyZ987abc»' },
  {
    type: 'Cookie',
    marked: 'HTTP/1.1 200 OK Set-Cookie: «JSESSIONID=0123456789ABCDEF0123456789ABCDEF»; Path=/; HttpOnly',
  },
  {
    type: 'SessionId',
    marked: '2024-12-04T15:44:54Z DEBUG restored session_id=«9f86d081884c7d659a2feaa0c55ad015» for request',
  },
  { type: 'SessionId', marked: 'GET /index.php?PHPSESSID=«el4ukv0kqbvoirg7nkp4dncpk3» HTTP/1.1' },
];

/** Lines that must come out untouched: noise that looks like PII to a careless pattern. */
export const NEGATIVES: string[] = [
  '2024-12-04T15:44:54.123Z INFO [main] c.e.api.UserController - started in 250ms (version 4.2.1, build 1.2.3.4-beta)',
  'trace_id=3f2b1c4d-aaaa-4bbb-8ccc-1234567890ab commit=9fceb02d0ae598e95dc970b74767f19372d61af8',
  'image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 pulled',
  'reading app.log, index.js, server.py, build.sh, README.md, config.yaml, main.go, lib.rs, model.pt',
  'listening on port 8080, pid 12345, uptime 3h12m5s, 0.0.0.0 wildcard',
  'java.lang.NullPointerException at com.example.service.OrderService.process(OrderService.java:42)',
  '    at org.apache.kafka.clients.consumer.KafkaConsumer.poll(KafkaConsumer.java:1234) ~[kafka-clients-3.6.1.jar:?]',
  'took 1.234s; retries=3; ratio=0.75; timeout=30s; elapsed 00:01:23.456 at 15:44:54',
  'upgraded from version 10.2.0.1 to v1.2.3 (release 2024.12.04)',
  'dates 2024-12-04 and 04/12/2024 and 2024-12-04T15:44:54+01:00',
  'std::vector<int> and Vec::new() and Foo::bar() compiled',
  'auth failed: password is incorrect; Password is required; password=********',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell placeholder is the point of this sample
  'config: password=${DB_PASSWORD} api_key=<redacted> token=[APIKey]',
  'order 4111111111111112 rejected (not a card: Luhn fails)',
  'ids 000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000',
  'oid 1.3.6.1.4.1.2021 and 256.1.1.1 and 999.10.10.10',
  '"GET /api HTTP/1.1" 200 5123 0.004',
  'user.name=jdoe item.id=42 log.info called; java.io and javax.net loaded',
  'WWW-Authenticate: Bearer realm="api" error="invalid_token"',
  'bearer authentication failed for client',
  'model sk-some-hyphenated-words-here-ok selected',
  'iban GB82 WEST 1234 5698 7654 33 failed checksum',
  'hash deadbeefcafe babe:face:0000 and 12:34:56',
  'retry 3/5 after 250ms; queue depth 1024; 99.9th percentile 12.5ms',
  'build #4521 finished: 312 tests, 0 failures, coverage 87.5%',
  "ERROR 1045 (28000): Access denied for user 'app'@'localhost' (using password: YES)",
  'Chrome/120.0.6099.109 Safari/537.36 build 2024.12.04.1 os 10.0.19045.3693',
];

/** Parses a marked line into the plain line and the expected span (byte offsets). */
export function parseMarked(marked: string): { line: string; value: string; start: number; end: number } {
  const open = marked.indexOf('«');
  const close = marked.indexOf('»');
  const before = marked.slice(0, open);
  const value = marked.slice(open + 1, close);
  const line = before + value + marked.slice(close + 1);
  const start = Buffer.byteLength(before);
  return { line, value, start, end: start + Buffer.byteLength(value) };
}
