import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAgentResult, parseBrowserEvent } from '../../../src/core/protocol';

const envelope = { sessionId: '0a1b2c3d', eventId: 'evt-1' };

describe('parsers never throw', () => {
  it('turns a getter that throws into invalid_event', () => {
    const input = { type: 'checkpoint', ...envelope, owner: 'o', revision: 1, variant: '1' };
    Object.defineProperty(input, 'params', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(parseBrowserEvent(input)).toEqual({
      ok: false,
      error: {
        error: 'invalid_event',
        message: 'the checkpoint event could not be read (a property could not be accessed)',
      },
    });
  });

  it('turns a throwing type getter and hostile Proxies into invalid_event', () => {
    const typeGetter = Object.defineProperty({}, 'type', {
      get() {
        throw new Error('boom');
      },
    });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        has() {
          throw new Error('trap');
        },
      },
    );
    const noPrototype = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      },
    );
    for (const input of [typeGetter, hostile, noPrototype]) {
      const result = parseBrowserEvent(input);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.error).toBe('invalid_event');
      expect(parseAgentResult(input).ok).toBe(false);
    }
  });

  it('handles a well-behaved Proxy like the object it wraps', () => {
    const result = parseBrowserEvent(new Proxy({ type: 'exit', ...envelope }, {}));
    expect(result).toEqual({ ok: true, value: { type: 'exit', ...envelope } });
  });

  it('refuses cyclic, deep and huge inputs with a field, quickly', () => {
    const cyclic: Record<string, unknown> = {
      type: 'checkpoint',
      ...envelope,
      owner: 'o',
      revision: 1,
      variant: '1',
    };
    cyclic.params = { self: cyclic };
    expect(parseBrowserEvent(cyclic)).toMatchObject({
      ok: false,
      error: { error: 'invalid_field', field: 'params.self' },
    });

    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { tag: deep };
    const deepEvent = { type: 'generate', ...envelope, mode: 'replace', count: 1, element: deep };
    expect(parseBrowserEvent(deepEvent)).toMatchObject({ ok: false, error: { field: 'element.tag' } });

    const hugeParams: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) hugeParams[`k${i}`] = i;
    const started = performance.now();
    expect(
      parseBrowserEvent({
        type: 'checkpoint',
        ...envelope,
        owner: 'o',
        revision: 1,
        variant: '1',
        params: hugeParams,
      }),
    ).toMatchObject({ ok: false, error: { error: 'invalid_field', field: 'params' } });
    const hugeClasses = { tag: 'div', classes: new Array(5_000_000).fill('c') };
    expect(
      parseBrowserEvent({ type: 'generate', ...envelope, mode: 'replace', count: 1, element: hugeClasses }),
    ).toMatchObject({ ok: false, error: { error: 'invalid_field', field: 'element.classes' } });
    expect(
      parseBrowserEvent({
        type: 'generate',
        ...envelope,
        mode: 'replace',
        count: 1,
        prompt: 'x'.repeat(50_000_000),
        element: hugeClasses,
      }),
    ).toMatchObject({ ok: false, error: { error: 'invalid_field', field: 'prompt' } });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('returns ok or an error body for arbitrary values (property)', () => {
    const fieldsOf = fc.record(
      {
        type: fc.constantFrom(
          'generate',
          'checkpoint',
          'accept',
          'discard',
          'exit',
          'done',
          'error',
          'retry',
          'x',
        ),
        sessionId: fc.oneof(fc.constant('0a1b2c3d'), fc.string()),
        eventId: fc.oneof(fc.constant('e1'), fc.string()),
        mode: fc.oneof(fc.constantFrom('replace', 'insert'), fc.anything()),
        count: fc.oneof(fc.integer({ min: -2, max: 10 }), fc.anything()),
        element: fc.anything(),
        params: fc.oneof(
          fc.dictionary(fc.string(), fc.oneof(fc.double(), fc.string(), fc.boolean())),
          fc.anything(),
        ),
        variant: fc.oneof(fc.integer({ min: -1, max: 1001 }), fc.string()),
        message: fc.anything(),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.anything({ withObjectString: true, withNullPrototype: true }), fieldsOf),
        (input) => {
          for (const result of [parseBrowserEvent(input), parseAgentResult(input)]) {
            if (result.ok) {
              expect(typeof result.value.type).toBe('string');
            } else {
              expect(['invalid_event', 'unknown_type', 'missing_field', 'invalid_field']).toContain(
                result.error.error,
              );
              expect(result.error.message.length).toBeGreaterThan(0);
              if (result.error.error === 'invalid_event') expect(result.error.field).toBeUndefined();
              else expect(typeof result.error.field).toBe('string');
            }
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
