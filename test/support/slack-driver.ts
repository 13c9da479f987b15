import { createHmac, randomBytes } from 'node:crypto';
import type { FakeSlack } from './fake-slack.js';

/**
 * Plays Slack's side of the HTTP contract against the app's receiver: signs bodies with v0 HMAC-SHA256 over
 * `v0:{timestamp}:{body}` and posts form-encoded slash commands, `payload=` interactivity and JSON events.
 */

export interface DriverResponse {
  status: number;
  text: string;
  /** Parsed JSON body, when the body is JSON. */
  json: Record<string, unknown> | undefined;
}

export interface SignOptions {
  /** Unix seconds to sign with (default now). */
  timestamp?: number;
  /** Replace the computed signature (e.g. a bad one); null sends no signature header. */
  signature?: string | null;
  headers?: Record<string, string>;
}

export interface SlackUser {
  id: string;
  name?: string;
}

export interface DriverOptions {
  /** The app's events URL, e.g. http://127.0.0.1:1234/slack/events. */
  url: string;
  signingSecret: string;
  fake: FakeSlack;
  teamId?: string;
  /**
   * How deliveries reach the app: signed HTTP to `url` (default), or Socket Mode envelopes through the fake's
   * WebSocket (the app must be connected). The same driver calls work either way.
   */
  transport?: 'http' | 'socket';
}

export function signSlackBody(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}

export class SlackDriver {
  readonly teamId: string;

  constructor(private readonly options: DriverOptions) {
    this.teamId = options.teamId ?? options.fake.teamId;
  }

  /** Posts a raw body with Slack's signature headers. */
  async post(body: string, contentType: string, sign: SignOptions = {}): Promise<DriverResponse> {
    if (this.options.transport === 'socket') return this.sendOverSocket(body, contentType);
    const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      ...sign.headers,
    };
    if (sign.signature !== null) {
      headers['x-slack-signature'] = sign.signature ?? signSlackBody(this.options.signingSecret, timestamp, body);
    }
    const response = await fetch(this.options.url, { method: 'POST', headers, body });
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    if (response.headers.get('content-type')?.includes('application/json')) {
      json = JSON.parse(text) as Record<string, unknown>;
    }
    return { status: response.status, text, json };
  }

  /** The same delivery as a Socket Mode envelope; the ack payload stands for the HTTP answer. */
  private async sendOverSocket(body: string, contentType: string): Promise<DriverResponse> {
    let ack: Record<string, unknown> | undefined;
    if (contentType.includes('application/json')) {
      ack = await this.options.fake.socketSend('events_api', JSON.parse(body) as Record<string, unknown>);
    } else {
      const form = Object.fromEntries(new URLSearchParams(body));
      ack =
        typeof form.payload === 'string'
          ? await this.options.fake.socketSend('interactive', JSON.parse(form.payload) as Record<string, unknown>)
          : await this.options.fake.socketSend('slash_commands', form);
    }
    return { status: 200, text: ack ? JSON.stringify(ack) : '', json: ack };
  }

  /** The fields of a slash-command delivery; override any of them. */
  commandFields(text: string, overrides: Record<string, string> = {}): Record<string, string> {
    return {
      token: 'deprecated-verification-token',
      team_id: this.teamId,
      team_domain: this.options.fake.teamDomain,
      channel_id: 'C0INCIDENT',
      channel_name: 'incidents',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/tftsr',
      text,
      api_app_id: 'A0TFTSR',
      is_enterprise_install: 'false',
      response_url: this.options.fake.newResponseUrl(),
      trigger_id: newTriggerId(),
      ...overrides,
    };
  }

  /** Sends `/tftsr <text>` form-encoded; returns the HTTP answer and the fields sent (response_url, trigger_id). */
  async command(
    text: string,
    overrides: Record<string, string> = {},
    sign: SignOptions = {},
  ): Promise<DriverResponse & { fields: Record<string, string> }> {
    const fields = this.commandFields(text, overrides);
    const response = await this.post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', sign);
    return { ...response, fields };
  }

  /** Sends an interactivity payload as Slack does: form-encoded `payload=<json>`. */
  async interactive(payload: Record<string, unknown>, sign: SignOptions = {}): Promise<DriverResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded', sign);
  }

  /** Sends an Events API `event_callback` as JSON. `retryNum` adds Slack's retry headers. */
  async event(
    event: Record<string, unknown>,
    options: { eventId?: string; retryNum?: number } & SignOptions = {},
  ): Promise<DriverResponse & { eventId: string }> {
    const eventId = options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    const envelope = {
      token: 'deprecated-verification-token',
      team_id: this.teamId,
      api_app_id: 'A0TFTSR',
      event: { event_ts: `${Date.now() / 1000}`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: this.teamId, user_id: this.options.fake.botUserId, is_bot: true }],
    };
    const headers: Record<string, string> = { ...options.headers };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const response = await this.post(JSON.stringify(envelope), 'application/json', { ...options, headers });
    return { ...response, eventId };
  }

  /** A `view_submission` for a view the app opened (as recorded by the fake), with input values by block/action. */
  async submitView(
    view: Record<string, unknown>,
    values: Record<string, Record<string, Record<string, unknown>>>,
    user: SlackUser = { id: 'U0ALICE' },
  ): Promise<DriverResponse> {
    return this.interactive({
      type: 'view_submission',
      team: { id: this.teamId, domain: this.options.fake.teamDomain },
      user: { id: user.id, username: user.name ?? user.id.toLowerCase(), team_id: this.teamId },
      api_app_id: 'A0TFTSR',
      token: 'deprecated-verification-token',
      trigger_id: newTriggerId(),
      view: { ...view, state: { values } },
      response_urls: [],
      is_enterprise_install: false,
    });
  }

  /**
   * Submits a modal the way a person would: fills its input blocks from `answers`, keyed by the input's label text
   * or its action_id (text for text inputs; option value or text for selects, radios and checkboxes; user ids for
   * user selects). Inputs not named keep their initial value, as Slack's state does. Unknown keys throw, so a test
   * cannot silently fill nothing.
   */
  async submitFilled(
    view: Record<string, unknown>,
    answers: Record<string, string | string[] | boolean>,
    user: SlackUser = { id: 'U0ALICE' },
  ): Promise<DriverResponse> {
    return this.submitView(view, fillViewState(view, answers), user);
  }

  /** A `block_actions` click on a button of a message the app posted. */
  async clickButton(
    message: { channel: string; ts: string; blocks?: unknown[] },
    actionId: string,
    user: SlackUser = { id: 'U0ALICE' },
  ): Promise<DriverResponse & { responseUrl: string }> {
    const button = findButton(message.blocks ?? [], actionId);
    if (!button) throw new Error(`no button ${actionId} on message ${message.ts}`);
    const responseUrl = this.options.fake.newResponseUrl();
    const response = await this.interactive({
      type: 'block_actions',
      team: { id: this.teamId, domain: this.options.fake.teamDomain },
      user: { id: user.id, username: user.name ?? user.id.toLowerCase(), team_id: this.teamId },
      api_app_id: 'A0TFTSR',
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
      trigger_id: newTriggerId(),
      channel: { id: message.channel, name: message.channel.toLowerCase() },
      message: { type: 'message', ts: message.ts, blocks: message.blocks },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: button.action_id,
          block_id: button.block_id,
          value: button.value,
          text: button.text,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
    return { ...response, responseUrl };
  }

  /** A message shortcut on a message in a channel. */
  async messageShortcut(
    callbackId: string,
    message: { channel: string; ts: string; text: string; thread_ts?: string; user?: string },
    user: SlackUser = { id: 'U0ALICE' },
  ): Promise<DriverResponse & { responseUrl: string; triggerId: string }> {
    const responseUrl = this.options.fake.newResponseUrl();
    const triggerId = newTriggerId();
    const response = await this.interactive({
      type: 'message_action',
      callback_id: callbackId,
      team: { id: this.teamId, domain: this.options.fake.teamDomain },
      user: { id: user.id, name: user.name ?? user.id.toLowerCase() },
      channel: { id: message.channel, name: message.channel.toLowerCase() },
      message: {
        type: 'message',
        user: message.user ?? 'U0BOB',
        ts: message.ts,
        text: message.text,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      message_ts: message.ts,
      response_url: responseUrl,
      trigger_id: triggerId,
      action_ts: `${Date.now() / 1000}`,
      token: 'deprecated-verification-token',
    });
    return { ...response, responseUrl, triggerId };
  }

  /**
   * A person shares files as a reply in a thread: the `message` event (subtype `file_share`) Slack sends for it.
   * `files` are Slack file objects, e.g. from `fake.addFile()`. Slack also sends `file_shared` (see fileShared).
   */
  async fileShareMessage(
    files: Record<string, unknown>[],
    where: { channel: string; thread_ts?: string; user?: string; text?: string },
    options: { eventId?: string; retryNum?: number } = {},
  ): Promise<DriverResponse & { eventId: string; ts: string }> {
    const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const response = await this.event(
      {
        type: 'message',
        subtype: 'file_share',
        text: where.text ?? '',
        user: where.user ?? 'U0PERSON1',
        channel: where.channel,
        channel_type: 'channel',
        ts,
        ...(where.thread_ts ? { thread_ts: where.thread_ts } : {}),
        upload: true,
        display_as_bot: false,
        files,
      },
      options,
    );
    return { ...response, ts };
  }

  /** The `file_shared` event for a file (it names the file and channel only; the app asks files.info for more). */
  async fileShared(
    file: Record<string, unknown>,
    where: { channel: string; user?: string },
    options: { eventId?: string; retryNum?: number } = {},
  ): Promise<DriverResponse & { eventId: string }> {
    return this.event(
      {
        type: 'file_shared',
        channel_id: where.channel,
        file_id: file.id,
        user_id: where.user ?? (typeof file.user === 'string' ? file.user : 'U0PERSON1'),
        file: { id: file.id },
      },
      options,
    );
  }
}

interface FoundButton {
  action_id: string;
  block_id?: string;
  value?: string;
  text?: unknown;
}

function findButton(blocks: unknown[], actionId: string): FoundButton | undefined {
  for (const block of blocks as { type?: string; block_id?: string; elements?: FoundButton[] }[]) {
    if (block.type !== 'actions') continue;
    const button = block.elements?.find((e) => e.action_id === actionId);
    if (button) return { ...button, ...(block.block_id ? { block_id: block.block_id } : {}) };
  }
  return undefined;
}

interface InputElement {
  type: string;
  action_id: string;
  initial_value?: string;
  initial_option?: { value: string; text: { text: string } };
  initial_options?: { value: string; text: { text: string } }[];
  initial_user?: string;
  initial_users?: string[];
  options?: { value: string; text: { text: string } }[];
  option_groups?: { options: { value: string; text: { text: string } }[] }[];
}

/** Builds a view's `state.values` from answers keyed by input label or action_id (see SlackDriver.submitFilled). */
export function fillViewState(
  view: Record<string, unknown>,
  answers: Record<string, string | string[] | boolean>,
): Record<string, Record<string, Record<string, unknown>>> {
  const blocks = (view.blocks ?? []) as {
    type: string;
    block_id?: string;
    label?: { text: string };
    element?: InputElement;
  }[];
  const used = new Set<string>();
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const block of blocks) {
    if (block.type !== 'input' || !block.element || !block.block_id) continue;
    const el = block.element;
    const key = [block.label?.text, el.action_id].find((k) => k !== undefined && k in answers);
    if (key) used.add(key);
    const answer = key === undefined ? undefined : answers[key];
    const options = el.options ?? el.option_groups?.flatMap((g) => g.options) ?? [];
    const pick = (wanted: string) => {
      const found = options.find((o) => o.value === wanted || o.text.text === wanted);
      if (!found) throw new Error(`no option "${wanted}" in input ${el.action_id}`);
      return found;
    };
    const list = (a: typeof answer) => (Array.isArray(a) ? a : typeof a === 'string' ? [a] : []);
    let state: Record<string, unknown>;
    switch (el.type) {
      case 'plain_text_input':
      case 'email_text_input':
      case 'url_text_input':
      case 'number_input':
        state = { value: answer === undefined ? (el.initial_value ?? null) : String(answer) };
        break;
      case 'static_select':
      case 'radio_buttons':
        state = {
          selected_option: answer === undefined ? (el.initial_option ?? null) : pick(String(answer)),
        };
        break;
      case 'multi_static_select':
      case 'checkboxes':
        state = {
          selected_options:
            answer === undefined
              ? (el.initial_options ?? [])
              : answer === true
                ? options
                : answer === false
                  ? []
                  : list(answer).map(pick),
        };
        break;
      case 'users_select':
        state = { selected_user: answer === undefined ? (el.initial_user ?? null) : String(answer) };
        break;
      case 'multi_users_select':
        state = { selected_users: answer === undefined ? (el.initial_users ?? []) : list(answer) };
        break;
      default:
        state = {};
    }
    values[block.block_id] = { [el.action_id]: { type: el.type, ...state } };
  }
  const unknown = Object.keys(answers).filter((k) => !used.has(k));
  if (unknown.length) throw new Error(`the view has no input named ${unknown.join(', ')}`);
  return values;
}
