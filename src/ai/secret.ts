import { inspect } from 'node:util';

const HIDDEN = '[redacted]';

/**
 * A credential that prints as `[redacted]` everywhere (String(), JSON, util.inspect, pino): only `reveal()` gives the
 * value, and only the provider client calls it, to set the one header that carries it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}
