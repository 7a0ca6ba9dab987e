import { describe, expect, it } from 'vitest';
import { LIMITS, parseBrowserEvent } from '../../../src/core/protocol';

const envelope = { sessionId: '0a1b2c3d', eventId: 'evt-1' };
const element = { tag: 'section', classes: ['hero', 'dark'] };

function generate(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'generate', ...envelope, mode: 'replace', count: 3, element, ...extra };
}
function checkpoint(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'checkpoint', ...envelope, owner: 'tab-1', revision: 4, variant: '2', params: {}, ...extra };
}
function accept(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'accept', ...envelope, variant: '1', ...extra };
}

function refused(input: unknown): { error: string; field?: string; message: string } {
  const result = parseBrowserEvent(input);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  expect(typeof result.error.message).toBe('string');
  if (result.error.field !== undefined)
    expect(result.error.message).toContain(result.error.field.split('.')[0]);
  return result.error;
}

function expectRefused(input: unknown, error: string, field?: string): void {
  const body = refused(input);
  expect({ error: body.error, field: body.field }).toEqual({ error, field });
}

function accepted(input: unknown) {
  const result = parseBrowserEvent(input);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

const x = (n: number) => 'x'.repeat(n);

describe('parseBrowserEvent: envelope', () => {
  it('refuses anything that is not a plain object with invalid_event and no field', () => {
    for (const input of [null, undefined, 42, 'generate', [], [generate()], new Date(), new Map()]) {
      expectRefused(input, 'invalid_event', undefined);
    }
    class Generate {
      type = 'generate';
    }
    expectRefused(new Generate(), 'invalid_event', undefined);
  });

  it('accepts an object with a null prototype', () => {
    const input = Object.assign(Object.create(null), generate());
    expect(accepted(input).type).toBe('generate');
  });

  it('reports a missing or unknown type as unknown_type on field type', () => {
    expectRefused({ ...envelope }, 'unknown_type', 'type');
    expectRefused({ ...envelope, type: 'explode' }, 'unknown_type', 'type');
    expectRefused({ ...envelope, type: 7 }, 'unknown_type', 'type');
    expectRefused({ ...envelope, type: 'toString' }, 'unknown_type', 'type');
    expectRefused({ ...envelope, type: '__proto__' }, 'unknown_type', 'type');
  });

  it('requires an 8-lowercase-hex session id', () => {
    expectRefused(generate({ sessionId: undefined }), 'missing_field', 'sessionId');
    for (const bad of ['0A1B2C3D', '0a1b2c3', '0a1b2c3d4', 'zzzzzzzz', 12345678, '../etc/p']) {
      expectRefused(generate({ sessionId: bad }), 'invalid_field', 'sessionId');
    }
    expect(accepted(generate({ sessionId: 'deadbeef' })).sessionId).toBe('deadbeef');
  });

  it('requires a bounded token event id', () => {
    expectRefused(generate({ eventId: undefined }), 'missing_field', 'eventId');
    expectRefused(generate({ eventId: '' }), 'invalid_field', 'eventId');
    expectRefused(generate({ eventId: 'has space' }), 'invalid_field', 'eventId');
    expectRefused(generate({ eventId: x(LIMITS.eventId + 1) }), 'invalid_field', 'eventId');
    expect(accepted(generate({ eventId: x(LIMITS.eventId) })).eventId).toHaveLength(LIMITS.eventId);
    expect(accepted(generate({ eventId: 'a1:b2.c_3-d' })).eventId).toBe('a1:b2.c_3-d');
  });

  it('strips unknown fields at every level', () => {
    const value = accepted(
      generate({
        extra: 1,
        element: { ...element, onclick: 'x', box: { x: 0, y: 0, width: 1, height: 1, z: 9 } },
      }),
    );
    expect(value).toEqual({
      type: 'generate',
      ...envelope,
      mode: 'replace',
      count: 3,
      prompt: '',
      element: { tag: 'section', classes: ['hero', 'dark'], box: { x: 0, y: 0, width: 1, height: 1 } },
    });
  });
});

describe('parseBrowserEvent: generate', () => {
  it('parses a complete insert request', () => {
    const full = generate({
      mode: 'insert',
      position: 'after',
      count: 8,
      action: 'bolder',
      prompt: 'make it pop',
      element: {
        tag: 'my-card',
        id: 'card',
        classes: [],
        text: 'Hello',
        outerHTML: '<my-card id="card">Hello</my-card>',
        styles: { color: 'red', '--brand': 'blue' },
        box: { x: -4, y: 10.5, width: 100, height: 0 },
        pagePath: '/index.html',
        pageUrl: 'http://localhost:5173/',
      },
      fileHint: 'src/App.tsx',
      annotations: {
        pins: [{ x: 1, y: 2, text: 'here' }],
        strokes: [
          {
            points: [
              [0, 0],
              [3, 4],
            ],
          },
        ],
      },
      owner: 'tab-1',
    });
    const { type: _t, ...rest } = full;
    expect(accepted(full)).toEqual({ type: 'generate', ...rest });
  });

  it('validates mode and the position-iff-insert rule', () => {
    expectRefused(generate({ mode: undefined }), 'missing_field', 'mode');
    expectRefused(generate({ mode: 'append' }), 'invalid_field', 'mode');
    expectRefused(generate({ mode: 'insert' }), 'missing_field', 'position');
    expectRefused(generate({ mode: 'insert', position: 'inside' }), 'invalid_field', 'position');
    expectRefused(generate({ mode: 'replace', position: 'before' }), 'invalid_field', 'position');
    expect(accepted(generate({ mode: 'insert', position: 'before' }))).toMatchObject({ position: 'before' });
    expect(refused(generate({ mode: 'insert' })).message).toBe(
      'generate event: position is required when mode is "insert"',
    );
  });

  it('requires count to be an integer from 1 to 8', () => {
    expectRefused(generate({ count: undefined }), 'missing_field', 'count');
    for (const bad of [0, 9, 2.5, -1, '3', Number.NaN, Number.POSITIVE_INFINITY, null]) {
      expectRefused(generate({ count: bad }), 'invalid_field', 'count');
    }
    expect(accepted(generate({ count: 1 })).type).toBe('generate');
    expect(refused(generate({ count: 9 })).message).toBe(
      'generate event: count must be an integer from 1 to 8',
    );
  });

  it('caps action, prompt and fileHint, and defaults prompt to empty', () => {
    expectRefused(generate({ action: x(LIMITS.action + 1) }), 'invalid_field', 'action');
    expectRefused(generate({ action: 5 }), 'invalid_field', 'action');
    expectRefused(generate({ prompt: x(LIMITS.prompt + 1) }), 'invalid_field', 'prompt');
    expectRefused(generate({ prompt: ['a'] }), 'invalid_field', 'prompt');
    expectRefused(generate({ fileHint: x(LIMITS.fileHint + 1) }), 'invalid_field', 'fileHint');
    expect(accepted(generate({ prompt: x(LIMITS.prompt) }))).toMatchObject({ prompt: x(LIMITS.prompt) });
    expect(accepted(generate())).toMatchObject({ prompt: '' });
  });

  it('validates the element', () => {
    expectRefused(generate({ element: undefined }), 'missing_field', 'element');
    expectRefused(generate({ element: [] }), 'invalid_field', 'element');
    expectRefused(generate({ element: 'div' }), 'invalid_field', 'element');
    expectRefused(generate({ element: { classes: [] } }), 'missing_field', 'element.tag');
    expectRefused(generate({ element: { tag: '1div', classes: [] } }), 'invalid_field', 'element.tag');
    expectRefused(generate({ element: { tag: 'div><script', classes: [] } }), 'invalid_field', 'element.tag');
    expectRefused(generate({ element: { tag: 'div' } }), 'missing_field', 'element.classes');
    expectRefused(generate({ element: { tag: 'div', classes: 'a b' } }), 'invalid_field', 'element.classes');
    expectRefused(
      generate({ element: { tag: 'div', classes: ['a', 'b', 'c', 4] } }),
      'invalid_field',
      'element.classes.3',
    );
    expectRefused(
      generate({ element: { tag: 'div', classes: Array(LIMITS.classes + 1).fill('c') } }),
      'invalid_field',
      'element.classes',
    );
    expectRefused(
      generate({ element: { tag: 'div', classes: [x(LIMITS.className + 1)] } }),
      'invalid_field',
      'element.classes.0',
    );
    expectRefused(generate({ element: { ...element, id: 3 } }), 'invalid_field', 'element.id');
    expectRefused(
      generate({ element: { ...element, text: x(LIMITS.elementText + 1) } }),
      'invalid_field',
      'element.text',
    );
    expectRefused(
      generate({ element: { ...element, outerHTML: x(LIMITS.outerHTML + 1) } }),
      'invalid_field',
      'element.outerHTML',
    );
    expectRefused(generate({ element: { ...element, pagePath: 1 } }), 'invalid_field', 'element.pagePath');
    expectRefused(
      generate({ element: { ...element, pageUrl: x(LIMITS.pageUrl + 1) } }),
      'invalid_field',
      'element.pageUrl',
    );
  });

  it('validates element styles as a capped string map', () => {
    expectRefused(generate({ element: { ...element, styles: [] } }), 'invalid_field', 'element.styles');
    expectRefused(
      generate({ element: { ...element, styles: { color: 1 } } }),
      'invalid_field',
      'element.styles.color',
    );
    expectRefused(
      generate({ element: { ...element, styles: { 'bad name': 'x' } } }),
      'invalid_field',
      'element.styles.bad name',
    );
    const many = Object.fromEntries(Array.from({ length: LIMITS.styles + 1 }, (_, i) => [`p${i}`, 'x']));
    expectRefused(generate({ element: { ...element, styles: many } }), 'invalid_field', 'element.styles');
    expectRefused(
      generate({ element: { ...element, styles: { color: x(LIMITS.styleValue + 1) } } }),
      'invalid_field',
      'element.styles.color',
    );
  });

  it('validates the element box as finite numbers with non-negative size', () => {
    const box = { x: 0, y: 0, width: 10, height: 10 };
    expectRefused(
      generate({ element: { ...element, box: { ...box, x: '0' } } }),
      'invalid_field',
      'element.box.x',
    );
    expectRefused(
      generate({ element: { ...element, box: { ...box, y: Number.NaN } } }),
      'invalid_field',
      'element.box.y',
    );
    expectRefused(
      generate({ element: { ...element, box: { ...box, width: -1 } } }),
      'invalid_field',
      'element.box.width',
    );
    expectRefused(
      generate({ element: { ...element, box: { x: 0, y: 0, width: 1 } } }),
      'missing_field',
      'element.box.height',
    );
    expectRefused(
      generate({ element: { ...element, box: { ...box, height: Number.POSITIVE_INFINITY } } }),
      'invalid_field',
      'element.box.height',
    );
  });

  it('validates annotations with count caps', () => {
    expectRefused(generate({ annotations: [] }), 'invalid_field', 'annotations');
    expectRefused(
      generate({ annotations: { pins: [{ x: 1, y: 2 }] } }),
      'missing_field',
      'annotations.pins.0.text',
    );
    expectRefused(
      generate({ annotations: { pins: [{ x: 1, y: 2, text: x(LIMITS.pinText + 1) }] } }),
      'invalid_field',
      'annotations.pins.0.text',
    );
    expectRefused(
      generate({ annotations: { pins: Array(LIMITS.pins + 1).fill({ x: 0, y: 0, text: '' }) } }),
      'invalid_field',
      'annotations.pins',
    );
    expectRefused(
      generate({ annotations: { strokes: [{ points: [[0, 0], [1]] }] } }),
      'invalid_field',
      'annotations.strokes.0.points.1',
    );
    expectRefused(
      generate({ annotations: { strokes: [{ points: [[0, 'a']] }] } }),
      'invalid_field',
      'annotations.strokes.0.points.0.1',
    );
    expectRefused(
      generate({ annotations: { strokes: [{ points: Array(LIMITS.strokePoints + 1).fill([0, 0]) }] } }),
      'invalid_field',
      'annotations.strokes.0.points',
    );
    expectRefused(
      generate({ annotations: { strokes: Array(LIMITS.strokes + 1).fill({ points: [] }) } }),
      'invalid_field',
      'annotations.strokes',
    );
  });

  it('validates the owner id', () => {
    expectRefused(generate({ owner: '' }), 'invalid_field', 'owner');
    expectRefused(generate({ owner: x(LIMITS.ownerId + 1) }), 'invalid_field', 'owner');
    expect(accepted(generate({ owner: 'tab-7' }))).toMatchObject({ owner: 'tab-7' });
  });
});

describe('parseBrowserEvent: checkpoint', () => {
  it('parses a checkpoint and normalises a numeric variant to a string', () => {
    expect(accepted(checkpoint({ variant: 3, params: { size: 1.5, tone: 'warm', on: true } }))).toEqual({
      type: 'checkpoint',
      ...envelope,
      owner: 'tab-1',
      revision: 4,
      variant: '3',
      params: { size: 1.5, tone: 'warm', on: true },
    });
  });

  it('requires owner, revision, variant and params', () => {
    expectRefused(checkpoint({ owner: undefined }), 'missing_field', 'owner');
    expectRefused(checkpoint({ revision: undefined }), 'missing_field', 'revision');
    expectRefused(checkpoint({ variant: undefined }), 'missing_field', 'variant');
    expectRefused(checkpoint({ params: undefined }), 'missing_field', 'params');
  });

  it('requires a non-negative integer revision', () => {
    expect(accepted(checkpoint({ revision: 0 }))).toMatchObject({ revision: 0 });
    for (const bad of [-1, 1.5, '4', Number.MAX_SAFE_INTEGER + 2]) {
      expectRefused(checkpoint({ revision: bad }), 'invalid_field', 'revision');
    }
  });

  it('accepts variant ids "1".."999" and numbers 1..999 only', () => {
    for (const good of ['1', '9', '10', '999', 1, 999]) {
      expect(accepted(checkpoint({ variant: good }))).toMatchObject({ variant: String(good) });
    }
    for (const bad of ['0', '01', '1000', 'original', '', ' 1', 0, 1000, 1.5, -1, true, null]) {
      expectRefused(checkpoint({ variant: bad }), 'invalid_field', 'variant');
    }
  });

  it('validates params keys, values and key count', () => {
    expectRefused(checkpoint({ params: [] }), 'invalid_field', 'params');
    expectRefused(checkpoint({ params: null }), 'invalid_field', 'params');
    expectRefused(checkpoint({ params: { size: null } }), 'invalid_field', 'params.size');
    expectRefused(checkpoint({ params: { size: [1] } }), 'invalid_field', 'params.size');
    expectRefused(checkpoint({ params: { size: Number.NaN } }), 'invalid_field', 'params.size');
    expectRefused(
      checkpoint({ params: { tone: x(LIMITS.paramString + 1) } }),
      'invalid_field',
      'params.tone',
    );
    expectRefused(checkpoint({ params: { 'a.b': 1 } }), 'invalid_field', 'params.a.b');
    expectRefused(
      checkpoint({ params: { [x(LIMITS.paramKey + 1)]: 1 } }),
      'invalid_field',
      `params.${x(65)}`,
    );
    const many = Object.fromEntries(Array.from({ length: LIMITS.params + 1 }, (_, i) => [`p${i}`, i]));
    expectRefused(checkpoint({ params: many }), 'invalid_field', 'params');
    expect(refused(checkpoint({ params: { 'a.b': 1 } })).message).toBe(
      'checkpoint event: key "a.b" of params must be a parameter id of letters, digits, "_" or "-"',
    );
  });

  it('never copies a __proto__ key into the parsed params', () => {
    const value = accepted(checkpoint({ params: JSON.parse('{"__proto__": {"polluted": 1}, "ok": 1}') }));
    expect(value.type === 'checkpoint' && value.params).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseBrowserEvent: accept, discard, exit', () => {
  it('parses accept with and without params', () => {
    expect(accepted(accept())).toEqual({ type: 'accept', ...envelope, variant: '1' });
    expect(accepted(accept({ variant: 12, params: { a: false } }))).toEqual({
      type: 'accept',
      ...envelope,
      variant: '12',
      params: { a: false },
    });
    expectRefused(accept({ variant: undefined }), 'missing_field', 'variant');
    expectRefused(accept({ variant: 'original' }), 'invalid_field', 'variant');
    expectRefused(accept({ params: { a: {} } }), 'invalid_field', 'params.a');
  });

  it('parses discard and exit with only the envelope', () => {
    expect(accepted({ type: 'discard', ...envelope, variant: '1' })).toEqual({
      type: 'discard',
      ...envelope,
    });
    expect(accepted({ type: 'exit', ...envelope })).toEqual({ type: 'exit', ...envelope });
    expectRefused({ type: 'exit', sessionId: 'nope', eventId: 'e' }, 'invalid_field', 'sessionId');
    expectRefused({ type: 'discard', sessionId: '0a1b2c3d' }, 'missing_field', 'eventId');
  });
});
