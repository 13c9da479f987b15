import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applySpans, BinaryInputError, createRedactor } from '../../src/redact/index.js';
import { streamRedact } from './helpers.js';
import { NEGATIVES, PEM_BLOCK, POSITIVES, parseMarked } from './samples.js';

const redactor = createRedactor();
const CONTEXT = '2024-12-04T15:44:54.123Z INFO [main] c.e.api.UserController - started in 250ms (v4.2.1)';

/** One-pass reference: the whole input as one text. */
function reference(data: Buffer) {
  const { text, spans } = redactor.redactText(data.toString('utf8'));
  return { out: Buffer.from(text, 'utf8'), spans };
}

describe('streaming equals one pass', () => {
  it('for every type at every input boundary offset, with units cut at every line (chunkSize 1)', async () => {
    let checked = 0;
    for (const p of POSITIVES) {
      const { line } = parseMarked(p.marked);
      const data = Buffer.from(`${CONTEXT}\n${line}\n${CONTEXT}\n`, 'utf8');
      const ref = reference(data);
      expect(ref.spans.some((s) => s.type === p.type)).toBe(true);
      for (let cut = 1; cut < data.length; cut++) {
        const got = await streamRedact(redactor, data, [cut, data.length], { chunkSize: 1 });
        if (!got.out.equals(ref.out)) throw new Error(`${p.type}: output differs when the input is cut at ${cut}`);
        expect(got.spans).toEqual(ref.spans);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it.each([1, 7, 64, 4096])('for a mixed document fed in %i-byte pieces and small units', async (piece) => {
    const lines = [...POSITIVES.map((p) => parseMarked(p.marked).line), ...NEGATIVES];
    const data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const ref = reference(data);
    for (const chunkSize of [1, 100, 1000]) {
      const got = await streamRedact(redactor, data, [piece], { chunkSize });
      expect(got.out.equals(ref.out)).toBe(true);
      expect(got.spans).toEqual(ref.spans);
    }
  });

  it('keeps a multi-line PEM block whole when units would cut it', async () => {
    const data = Buffer.from(`${CONTEXT}\n${PEM_BLOCK}\n${CONTEXT}\n${PEM_BLOCK}\n`, 'utf8');
    for (const chunkSize of [1, 10, 40, 70, 130]) {
      const got = await streamRedact(redactor, data, [3], { chunkSize });
      expect(got.spans.map((s) => s.type)).toEqual(['PrivateKey', 'PrivateKey']);
      expect(got.out.toString()).toBe(`${CONTEXT}\n[PrivateKey]\n${CONTEXT}\n[PrivateKey]\n`);
    }
  });

  it('reports progress in bytes and absolute offsets across units', async () => {
    const line = 'user jane.doe@example.com from 10.0.0.1\n';
    const data = Buffer.from(line.repeat(50));
    const progress: number[] = [];
    const spans: { start: number; end: number }[] = [];
    const out: Buffer[] = [];
    for await (const c of redactor.redactStream(
      (async function* () {
        yield data;
      })(),
      {
        chunkSize: 200,
        onProgress: (n) => progress.push(n),
        onSpan: (s) => spans.push(s),
      },
    )) {
      out.push(c);
    }
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(data.length);
    expect(spans).toHaveLength(100);
    for (const s of spans)
      expect(data.toString('utf8', s.start, s.end)).toMatch(/^(?:jane\.doe@example\.com|10\.0\.0\.1)$/);
  });
});

describe('input formats', () => {
  it('decompresses gzip input detected by magic bytes, whatever the piece size', async () => {
    const plain = Buffer.from(`${POSITIVES.map((p) => parseMarked(p.marked).line).join('\n')}\n`);
    const ref = reference(plain);
    for (const piece of [1, 5, 100000]) {
      const got = await streamRedact(redactor, gzipSync(plain), [piece], { chunkSize: 512 });
      expect(got.out.equals(ref.out)).toBe(true);
      expect(got.spans).toEqual(ref.spans);
    }
  });

  it('fails clearly on corrupt gzip', async () => {
    const gz = gzipSync(Buffer.from('password=hunter2\n'.repeat(1000)));
    gz[20] = gz[20]! ^ 0xff;
    await expect(streamRedact(redactor, gz.subarray(0, gz.length - 10), [64])).rejects.toThrow(/gzip input is corrupt/);
  });

  it('keeps CRLF line ends and never puts \\r inside a span', async () => {
    const data = Buffer.from('password=hunter2\r\nuser jane.doe@example.com\r\nip 10.0.0.1\r\n');
    const { out, spans } = await streamRedact(redactor, data, [4], { chunkSize: 8 });
    expect(out.toString()).toBe('password=[Password]\r\nuser [Email]\r\nip [IPv4]\r\n');
    for (const s of spans) expect(s.value).not.toMatch(/[\r\n]/);
  });

  it('passes non-UTF-8 bytes through byte-exact and keeps byte offsets', async () => {
    const data = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from(' caf\xe9 latin-1 ', 'latin1'),
      Buffer.from('ops@example.com\n'),
      Buffer.from([0xc3, 0x28, 0x0a]), // invalid UTF-8 sequence
    ]);
    const { out, spans } = await streamRedact(redactor, data, [3]);
    expect(spans).toHaveLength(1);
    expect(data.toString('latin1', spans[0]!.start, spans[0]!.end)).toBe('ops@example.com');
    expect(out.equals(applySpans(data, spans))).toBe(true);
    expect(out.subarray(0, 3).equals(Buffer.from([0xff, 0xfe, 0x41]))).toBe(true);
    expect(out.subarray(-3).equals(Buffer.from([0xc3, 0x28, 0x0a]))).toBe(true);
  });

  it('handles a 10 MB line and finds spans at its start, middle and end', async () => {
    const filler = 'lorem ipsum 4.2.1 took 250ms index.js ';
    const mid = filler.repeat(Math.ceil(5e6 / filler.length));
    const line = `AKIAIOSFODNN7EXAMPLE ${mid} jane.doe@example.com ${mid} 10.0.0.1`;
    const data = Buffer.from(`${line}\nnext 192.168.0.1\n`);
    expect(data.length).toBeGreaterThan(10e6);
    const r = await redactor.redactBuffer(data);
    expect(r.spans.map((s) => s.type)).toEqual(['AWSAccessKey', 'Email', 'IPv4', 'IPv4']);
    for (const s of r.spans) expect(data.toString('utf8', s.start, s.end)).toBe(s.value);
    expect(r.lines).toBe(2);
  });
});

describe('binary input is refused', () => {
  const cases: Array<[string, Buffer]> = [
    ['NUL bytes', Buffer.from('log line\n\0\0\0binary')],
    ['PNG', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR')])],
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10])],
    ['gzip of binary', gzipSync(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]))],
  ];
  it.each(cases)('%s', async (_name, data) => {
    const err = await streamRedact(redactor, data, [2]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinaryInputError);
    expect((err as Error).message).toMatch(/^binary input refused: /);
  });

  it('accepts text that merely starts like a magic word ("BZh…", "RIFF" is binary but "GIF" in prose is not)', async () => {
    const got = await streamRedact(redactor, Buffer.from('BZh is a prefix; GIF loaded from 10.0.0.1\n'), [100]);
    expect(got.out.toString()).toBe('BZh is a prefix; GIF loaded from [IPv4]\n');
  });
});

describe('redactBuffer and applySpans', () => {
  const text = 'user jane.doe@example.com login from 10.0.0.1 password=hunter2\nsecond line 10.0.0.2';
  const data = Buffer.from(text);

  it('returns redacted bytes, spans, counts, lines and bytes', async () => {
    const r = await redactor.redactBuffer(data);
    expect(r.redacted.toString()).toBe('user [Email] login from [IPv4] password=[Password]\nsecond line [IPv4]');
    expect(r.countsByType).toEqual({ Email: 1, IPv4: 2, Password: 1 });
    expect(r.lines).toBe(2);
    expect(r.bytes).toBe(data.length);
    expect(r.spans.map((s) => s.value)).toEqual(['jane.doe@example.com', '10.0.0.1', 'hunter2', '10.0.0.2']);
  });

  it('regenerates the same bytes from the spans, and restores a span a reviewer rejected', async () => {
    const r = await redactor.redactBuffer(data);
    expect(applySpans(data, r.spans).equals(r.redacted)).toBe(true);
    const kept = r.spans.filter((s) => s.type !== 'IPv4');
    expect(applySpans(data, [...kept].reverse()).toString()).toBe(
      'user [Email] login from 10.0.0.1 password=[Password]\nsecond line 10.0.0.2',
    );
  });

  it('rejects overlapping or out-of-range spans without echoing values', () => {
    const a = { type: 'Email', start: 5, end: 25, value: 'x', replacement: '[Email]' };
    expect(() => applySpans(data, [a, { ...a, start: 10, end: 12 }])).toThrow(/overlaps/);
    expect(() => applySpans(data, [{ ...a, end: data.length + 1 }])).toThrow(/outside/);
  });
});

describe('worker threads', () => {
  it('produce the same bytes, spans and offsets as the calling thread', async () => {
    const lines = [...POSITIVES.map((p) => parseMarked(p.marked).line), ...NEGATIVES, PEM_BLOCK];
    const data = Buffer.from(`${lines.join('\n')}\n`.repeat(40), 'utf8');
    const single = await streamRedact(redactor, data, [65536], { chunkSize: 16 * 1024 });
    const parallel = await streamRedact(redactor, data, [65536], { chunkSize: 16 * 1024, workers: 2 });
    expect(data.length / (16 * 1024)).toBeGreaterThan(10); // enough units for the workers to start
    expect(parallel.out.equals(single.out)).toBe(true);
    expect(parallel.spans).toEqual(single.spans);
  });
});
