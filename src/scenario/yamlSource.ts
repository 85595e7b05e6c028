import { CST, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';
import { ScenarioError, type SourcePos } from './ScenarioError.ts';
import { DEFAULT_LIMITS, ScenarioLimitError, utf8Length } from './limits.ts';

/**
 * Scenario text → a checked YAML node tree with positions. Everything here is about YAML, not about scenarios:
 * size and nesting caps, syntax errors, refusing what the format leaves out (aliases, anchors, directives,
 * unresolved tags), keys that are plain text, unique and harmless. After it, `load.ts` may walk the tree
 * without meeting anything a hostile file could use to crash or pollute it.
 *
 * Scenario files are YAML 1.2 with the core schema: `yes` is text, `0x10` is 16, `02:00:00:00:01:02` is text.
 */

/** 10 MiB of text: far above any lesson, well below what would stall a browser tab (limits.ts maxFileSize). */
export const MAX_SCENARIO_CHARS = DEFAULT_LIMITS.maxFileSize;

/** Collections inside collections; the deepest part of the format (a `count` filter) needs about six. */
export const MAX_NESTING = 64;

/**
 * Block structure deeper than this many columns is refused before the YAML parser sees it: yaml's parser
 * recurses once per block level and would overflow the stack a few thousand levels down, where no error
 * position survives. Real files indent a dozen columns.
 */
export const MAX_BLOCK_COLUMN = 256;

/** Keys that would touch an object's prototype if some later code copied a map into a plain object. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A parsed file: the root node and how to turn its offsets into errors. */
export class YamlSource {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  posAt(offset: number): SourcePos {
    const { line, col } = this.lines.linePos(offset);
    // linePos reports line 0 before the first newline it has been told about.
    return line === 0 ? { line: 1, column: offset + 1 } : { line, column: col };
  }

  posOf(node: Node): SourcePos {
    return this.posAt(node.range?.[0] ?? 0);
  }

  error(at: Node | SourcePos, path: string, expected: string, got?: string): ScenarioError {
    const pos = 'line' in at ? at : this.posOf(at);
    return new ScenarioError(this.file, pos, path, expected, got);
  }
}

export interface ParsedScenarioYaml {
  /** The top-level node; null for an empty document (or one holding only comments). */
  root: Node | null;
  source: YamlSource;
}

export function parseScenarioYaml(text: string, file: string, maxBytes: number = DEFAULT_LIMITS.maxFileSize): ParsedScenarioYaml {
  if (typeof text !== 'string') {
    throw new ScenarioError(file, { line: 1, column: 1 }, '', 'the text of a YAML file', typeof text);
  }
  // Each UTF-16 unit is 1 to 3 bytes of UTF-8: a text longer than the limit is over it without counting, and
  // only one longer than a third of it needs counting.
  const over = text.length > maxBytes ? `${text.length} characters` : text.length * 3 > maxBytes && utf8Length(text) > maxBytes ? `${utf8Length(text)} bytes` : undefined;
  if (over !== undefined) {
    throw new ScenarioLimitError(file, { line: 1, column: 1 }, '', 'maxFileSize', maxBytes, `a file of at most ${maxBytes} bytes${maxBytes === DEFAULT_LIMITS.maxFileSize ? ' (10 MiB)' : ''}`, over);
  }
  prescan(text, file);

  const lines = new LineCounter();
  const source = new YamlSource(file, lines);
  let doc;
  try {
    doc = parseDocument(text, {
      lineCounter: lines,
      keepSourceTokens: true,
      prettyErrors: false,
      version: '1.2',
      schema: 'core',
      merge: false,
      // YAML 1.1 tags (!!binary, !!timestamp, !!set, ...) stay unresolved, hence refused below.
      resolveKnownTags: false,
      // Duplicates are found below, where the field path is known.
      uniqueKeys: false,
    });
  } catch (e) {
    // The caps above should make this unreachable; if yaml still fails, the author gets a ScenarioError.
    throw new ScenarioError(file, { line: 1, column: 1 }, '', 'YAML the parser can read', e instanceof Error ? e.message : String(e));
  }
  const problem: YAMLError | undefined = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) throw source.error(source.posAt(problem.pos[0]), '', 'valid YAML', yamlMessage(problem));
  const root = (doc.contents as Node | null) ?? null;
  if (root !== null) checkTree(root, source);
  return { root, source };
}

/** yaml's message without its position suffix (the ScenarioError carries the position). */
function yamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0] ?? '';
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Walks the lexer's tokens (which never recurse) to refuse, with a position, what would make the parser
 * recurse too deep, and YAML directives, which could switch the file to YAML 1.1's different typing.
 */
function prescan(text: string, file: string): void {
  const fail = (offset: number, expected: string, got: string): never => {
    throw new ScenarioError(file, positionIn(text, offset), '', expected, got);
  };
  let offset = 0;
  let lineStart = 0;
  let flowDepth = 0;
  let firstOnLine = true;
  for (const token of new Lexer().lex(text)) {
    // These three markers are the lexer's own signals, not characters of the source.
    if (token === CST.DOCUMENT || token === CST.SCALAR) continue;
    if (token === CST.FLOW_END) {
      flowDepth = 0;
      continue;
    }
    const start = offset;
    offset += token.length;
    const type = CST.tokenType(token);
    const column = start - lineStart;
    if (type === 'directive-line') {
      fail(start, 'no YAML directives: scenario files are YAML 1.2 with the core schema', JSON.stringify(token));
    } else if (type === 'flow-map-start' || type === 'flow-seq-start') {
      if (flowDepth === 0 && firstOnLine && column > MAX_BLOCK_COLUMN) {
        fail(start, `indentation of at most ${MAX_BLOCK_COLUMN} columns`, `column ${column + 1}`);
      }
      flowDepth++;
      if (flowDepth > MAX_NESTING) fail(start, `collections nested at most ${MAX_NESTING} deep`, 'deeper nesting');
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      flowDepth = Math.max(0, flowDepth - 1);
    } else if (type !== 'space' && type !== 'newline' && type !== 'comment' && type !== 'byte-order-mark') {
      const opensLevel = type === 'seq-item-ind' || type === 'explicit-key-ind';
      if (flowDepth === 0 && (firstOnLine || opensLevel) && column > MAX_BLOCK_COLUMN) {
        fail(start, `indentation of at most ${MAX_BLOCK_COLUMN} columns`, `column ${column + 1}`);
      }
    }
    // Any token may span lines (quoted and block scalars, the newline itself): keep columns right.
    const nl = token.lastIndexOf('\n');
    if (nl >= 0) {
      lineStart = start + nl + 1;
      firstOnLine = type === 'newline' || /^\s*$/.test(token.slice(nl + 1));
    } else if (type !== 'space' && type !== 'byte-order-mark') {
      firstOnLine = false;
    }
  }
}

/** 1-based line and column of an offset, for errors found before yaml's LineCounter exists. */
function positionIn(text: string, offset: number): SourcePos {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * One iterative pass over the whole tree, in document order: no aliases or anchors, nesting capped, every
 * mapping key a non-empty scalar, unique in its mapping and not a prototype name.
 */
function checkTree(root: Node, source: YamlSource): void {
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: root, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (isAlias(node)) {
      throw source.error(node, path, 'a value written out (YAML aliases are not part of the scenario format)', `*${node.source}`);
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    if (node.anchor !== undefined) {
      throw source.error(node, path, 'a value without an anchor (YAML anchors and aliases are not part of the scenario format)', `&${node.anchor}`);
    }
    if (isScalar(node)) continue;
    if (depth > MAX_NESTING) throw source.error(node, path, `collections nested at most ${MAX_NESTING} deep`, 'deeper nesting');
    const children: { node: unknown; path: string; depth: number }[] = [];
    if (isSeq(node)) {
      node.items.forEach((item, i) => children.push({ node: item, path: itemPath(path, i), depth: depth + 1 }));
    } else {
      const seen = new Map<string, SourcePos>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isAlias(key)) throw source.error(key, path, 'a key written out (YAML aliases are not part of the scenario format)', `*${key.source}`);
        if (!isScalar(key)) {
          throw source.error(isMap(key) || isSeq(key) ? key : node, path, 'a key that is plain text', key === null ? 'no key' : describeNode(key));
        }
        if (key.anchor !== undefined) {
          throw source.error(key, path, 'a key without an anchor (YAML anchors and aliases are not part of the scenario format)', `&${key.anchor}`);
        }
        const text = keyText(key);
        if (text === '') throw source.error(key, path, 'a key before the colon', 'an empty key');
        const keyPos = source.posOf(key);
        if (RESERVED_KEYS.has(text)) throw source.error(keyPos, childPath(path, text), 'a key other than __proto__, constructor or prototype', JSON.stringify(text));
        const first = seen.get(text);
        if (first !== undefined) {
          throw source.error(keyPos, childPath(path, text), `each key once in a mapping (${JSON.stringify(text)} is first at line ${first.line}, column ${first.column})`, `${JSON.stringify(text)} again`);
        }
        seen.set(text, keyPos);
        children.push({ node: pair.value, path: childPath(path, text), depth: depth + 1 });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/** A key as the file wrote it: `01` stays `01`, `"a b"` is `a b`. */
export function keyText(key: Node): string {
  if (!isScalar(key)) return '';
  if (typeof key.source === 'string') return key.source;
  return key.value === null || key.value === undefined ? '' : String(key.value);
}

export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** How an offending value reads after "got" in a message. */
export function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return `*${node.source}`;
  if (isScalar(node)) {
    if (node.value === null) return node.source === '' || node.source === undefined ? 'nothing' : node.source;
    const text = typeof node.source === 'string' ? node.source : String(node.value);
    return typeof node.value === 'string' ? JSON.stringify(text) : text;
  }
  return 'an unexpected value';
}
