/**
 * Our rules translated to ripgrep (Rust regex: no look-around, no back-references, no validators), one
 * `rg --passthru --replace` stage per replacement token, most specific first as our resolver would order them.
 * Key=value rules keep the key through a capture group. Multi-line PEM blocks don't translate (rg works per line).
 */
import { HOSTNAME_TLDS } from '../../src/redact/tlds.js';

export interface RgStage {
  type: string;
  pattern: string;
  replace: string;
}

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** rg replacement that keeps capture group 1 (the key) and replaces the value. */
const keepKey = (token: string) => `\${1}[${token}]`;
const kv = (keys: string, value: string) => `(?i)(${keys}["']?[ \\t]*[:=][ \\t]*["']?)${value}`;

export const RG_STAGES: RgStage[] = [
  {
    type: 'PrivateKey',
    pattern: '-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----',
    replace: '[PrivateKey]',
  },
  {
    type: 'SlackWebhook',
    pattern: 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{8,256}',
    replace: '[SlackWebhook]',
  },
  { type: 'SlackToken', pattern: '\\bx(?:ox[abposre]|app)-[A-Za-z0-9-]{10,250}', replace: '[SlackToken]' },
  {
    type: 'GitHubToken',
    pattern: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,247})',
    replace: '[GitHubToken]',
  },
  { type: 'GitLabToken', pattern: '\\bglpat-[A-Za-z0-9_-]{20,64}', replace: '[GitLabToken]' },
  { type: 'GoogleAPIKey', pattern: '\\bAIza[0-9A-Za-z_-]{35}', replace: '[GoogleAPIKey]' },
  { type: 'StripeKey', pattern: '\\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,247}', replace: '[StripeKey]' },
  {
    type: 'AnthropicKey',
    pattern: '\\bsk-ant-(?:api|admin|oat)[0-9]{2}-[A-Za-z0-9_-]{20,200}',
    replace: '[AnthropicKey]',
  },
  { type: 'OpenAIKey', pattern: '\\bsk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,250}', replace: '[OpenAIKey]' },
  { type: 'NpmToken', pattern: '\\bnpm_[A-Za-z0-9]{36}\\b', replace: '[NpmToken]' },
  {
    type: 'AWSAccessKey',
    pattern: '\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\\b',
    replace: '[AWSAccessKey]',
  },
  {
    type: 'AWSSecretKey',
    pattern: kv('(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)', '[A-Za-z0-9/+]{40}'),
    replace: keepKey('AWSSecretKey'),
  },
  {
    type: 'JWT',
    pattern: '\\beyJ[A-Za-z0-9_-]{5,4096}\\.eyJ[A-Za-z0-9_-]{5,8192}\\.[A-Za-z0-9_-]{0,1024}',
    replace: '[JWT]',
  },
  {
    type: 'AzureStorageKey',
    pattern: '((?:AccountKey|SharedAccessKey)=)[A-Za-z0-9+/]{20,200}={0,2}',
    replace: keepKey('AzureStorageKey'),
  },
  {
    type: 'URLCredentials',
    pattern: '(://)[^ \\t:@/?#"\'<>]{0,128}:[^ \\t@/?#"\'<>]{1,256}@',
    replace: `${keepKey('URLCredentials')}@`,
  },
  {
    type: 'DBCredentials',
    pattern:
      '(?i)((?:server|data source)=[^;]{1,256};(?:[^;]{0,256};){0,12}?[ \\t]*(?:password|pwd)[ \\t]*=[ \\t]*)[^;"\']{1,256}',
    replace: keepKey('DBCredentials'),
  },
  { type: 'BearerToken', pattern: '(?i)(bearer[ \\t]+)[A-Za-z0-9._~+/-]{8,4096}=*', replace: keepKey('BearerToken') },
  {
    type: 'AuthHeader',
    pattern: kv('authorization', '(?:(?:basic|token|digest)[ \\t]+)?[A-Za-z0-9._~+/=:,-]{6,4096}'),
    replace: keepKey('AuthHeader'),
  },
  { type: 'Cookie', pattern: '(?i)((?:set-)?cookie[ \\t]*:[ \\t]*)[^\\r\\n"\']{1,4096}', replace: keepKey('Cookie') },
  {
    type: 'SessionId',
    pattern: kv('(?:jsessionid|phpsessid|session[_-]?(?:id|token|key)|session)', '[A-Za-z0-9._~%+/=-]{8,256}'),
    replace: keepKey('SessionId'),
  },
  {
    type: 'APIKey',
    pattern: kv(
      '(?:x-api-key|api[_-]?key|apikey|api[_-]?token|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key)',
      '[A-Za-z0-9._~+/=-]{8,512}',
    ),
    replace: keepKey('APIKey'),
  },
  {
    type: 'Password',
    pattern: kv('(?:password|passwd|passphrase|pwd|secret)', '[^ \\t\\r\\n"\',;&]{1,256}'),
    replace: keepKey('Password'),
  },
  { type: 'IBAN', pattern: '\\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b', replace: '[IBAN]' },
  {
    type: 'CreditCard',
    pattern:
      '\\b(?:[2-6][0-9]{12,18}|[2-6][0-9]{3}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{1,4}|3[47][0-9]{2}[ -][0-9]{6}[ -][0-9]{5})\\b',
    replace: '[CreditCard]',
  },
  { type: 'SSN', pattern: '\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b', replace: '[SSN]' },
  {
    type: 'Email',
    pattern: '\\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\\.){1,8}[A-Za-z]{2,24}\\b',
    replace: '[Email]',
  },
  {
    type: 'MAC',
    pattern: '\\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\\b|\\b[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}\\b',
    replace: '[MAC]',
  },
  {
    type: 'IPv6',
    pattern:
      '(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?|::(?:ffff:)?(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})',
    replace: '[IPv6]',
  },
  { type: 'IPv4', pattern: `\\b${OCTET}(?:\\.${OCTET}){3}\\b`, replace: '[IPv4]' },
  {
    type: 'Phone',
    pattern:
      '(?:\\+1[ .-]?)?\\([2-9][0-9]{2}\\) ?[2-9][0-9]{2}[ .-][0-9]{4}|\\b[2-9][0-9]{2}-[2-9][0-9]{2}-[0-9]{4}\\b|\\+[1-9][0-9]{0,3}(?:[ .-][0-9]{1,5}){2,5}|\\+[1-9][0-9]{7,14}',
    replace: '[Phone]',
  },
  {
    type: 'Hostname',
    pattern: `\\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?:${[...HOSTNAME_TLDS].join('|')})\\b`,
    replace: '[Hostname]',
  },
];
