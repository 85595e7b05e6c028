/**
 * A small TypeScript lexer for the architecture test: enough of the language to find every import
 * (`import ... from`, `export ... from`, `import 'x'`, `import('x')`, `require('x')`) and every use of a banned
 * global, while ignoring what comments, strings, template text and regular expressions say. It is not a
 * parser; it knows where code is and where text is, which is what these checks need.
 */

export type TokenType = 'ident' | 'punct' | 'string' | 'template' | 'regex' | 'number';

export interface Token {
  type: TokenType;
  /** Identifier name, punctuator character, or a string literal's value. */
  value: string;
  line: number;
}

export interface ImportRef {
  specifier: string;
  line: number;
  kind: 'import' | 'export-from' | 'dynamic' | 'require';
  /** `import type ...`, `export type ... from`, or only `type` specifiers: erased at compile time. */
  typeOnly: boolean;
}

export interface DynamicImportProblem {
  line: number;
  what: string;
}

export interface GlobalUse {
  name: string;
  line: number;
}

/** After these, `/` starts a regular expression rather than a division. */
const REGEX_AFTER_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$\u00c0-\uffff]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_$\u00c0-\uffff]/.test(c);
}

/** Splits TypeScript source into tokens; comments and whitespace are dropped, template text is one token. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  // One entry per open `{`: true when it is a template's `${`, whose `}` resumes the template text.
  const braces: boolean[] = [];

  const prevSignificant = (): Token | undefined => tokens[tokens.length - 1];

  const regexAllowed = (): boolean => {
    const p = prevSignificant();
    if (!p) return true;
    if (p.type === 'ident') return REGEX_AFTER_KEYWORDS.has(p.value);
    if (p.type === 'number' || p.type === 'string' || p.type === 'template' || p.type === 'regex') return false;
    return !(p.value === ')' || p.value === ']' || p.value === '}');
  };

  /** Scans template text from i (just after ` or the } closing a ${) to the closing ` or the next ${. */
  const templateText = (): void => {
    const startLine = line;
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '\n') line++;
      if (c === '`') {
        i++;
        tokens.push({ type: 'template', value: '', line: startLine });
        return;
      }
      if (c === '$' && src[i + 1] === '{') {
        i += 2;
        tokens.push({ type: 'template', value: '', line: startLine });
        braces.push(true);
        return;
      }
      i++;
    }
  };

  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const startLine = line;
      let value = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\') {
          value += src[i + 1] ?? '';
          if (src[i + 1] === '\n') line++;
          i += 2;
          continue;
        }
        if (src[i] === '\n') break; // unterminated: stop at the end of the line
        value += src[i];
        i++;
      }
      i++;
      tokens.push({ type: 'string', value, line: startLine });
      continue;
    }
    if (c === '`') {
      i++;
      templateText();
      continue;
    }
    if (c === '/' && regexAllowed()) {
      const startLine = line;
      i++;
      let inClass = false;
      while (i < src.length && src[i] !== '\n') {
        const r = src[i];
        if (r === '\\') {
          i += 2;
          continue;
        }
        if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < src.length && isIdentPart(src[i])) i++;
      tokens.push({ type: 'regex', value: '', line: startLine });
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < src.length && isIdentPart(src[j])) j++;
      tokens.push({ type: 'ident', value: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z_.]/.test(src[j])) j++;
      tokens.push({ type: 'number', value: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (c === '{') braces.push(false);
    if (c === '}') {
      const closesTemplateExpr = braces.pop();
      if (closesTemplateExpr) {
        i++;
        templateText();
        continue;
      }
    }
    tokens.push({ type: 'punct', value: c, line });
    i++;
  }
  return tokens;
}

function isIdent(t: Token | undefined, name?: string): boolean {
  return t !== undefined && t.type === 'ident' && (name === undefined || t.value === name);
}

function isPunct(t: Token | undefined, p: string): boolean {
  return t !== undefined && t.type === 'punct' && t.value === p;
}

/** The specifiers of `{ a, type B, c as d }` starting at the `{` at index `open`; returns the index after `}`. */
function braceClause(tokens: Token[], open: number): { end: number; allTypes: boolean; empty: boolean } {
  let k = open + 1;
  let allTypes = true;
  let empty = true;
  let atSpecifierStart = true;
  while (k < tokens.length && !isPunct(tokens[k], '}')) {
    const t = tokens[k];
    if (isPunct(t, ',')) {
      atSpecifierStart = true;
    } else if (atSpecifierStart) {
      empty = false;
      // `type X` marks one specifier type-only; `type` alone (or `type as x`) is a value named type.
      const isTypeMarker = isIdent(t, 'type') && (isIdent(tokens[k + 1]) || tokens[k + 1]?.type === 'string') && !isIdent(tokens[k + 1], 'as');
      if (!isTypeMarker) allTypes = false;
      atSpecifierStart = false;
    }
    k++;
  }
  return { end: k + 1, allTypes, empty };
}

/** Every import of a module in the source, in order, plus dynamic imports whose target is not a literal. */
export function findImports(src: string): { imports: ImportRef[]; problems: DynamicImportProblem[] } {
  const tokens = tokenize(src);
  const imports: ImportRef[] = [];
  const problems: DynamicImportProblem[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'ident' || isPunct(tokens[i - 1], '.')) continue;

    if (t.value === 'import' || t.value === 'require') {
      const next = tokens[i + 1];
      if (isPunct(next, '(')) {
        const arg = tokens[i + 2];
        const after = tokens[i + 3];
        if (arg?.type === 'string' && (isPunct(after, ')') || isPunct(after, ','))) {
          imports.push({ specifier: arg.value, line: t.line, kind: t.value === 'import' ? 'dynamic' : 'require', typeOnly: false });
        } else if (t.value === 'import') {
          problems.push({ line: t.line, what: 'import() of a computed specifier (the layer check cannot follow it)' });
        }
        continue;
      }
      if (t.value === 'require') continue;
      if (isPunct(next, '.')) continue; // import.meta
      if (next?.type === 'string') {
        imports.push({ specifier: next.value, line: t.line, kind: 'import', typeOnly: false });
        continue;
      }
      // import [type] Default, { a, type b } from 'x' | import [type] * as ns from 'x'
      let k = i + 1;
      let typeOnly = false;
      if (isIdent(tokens[k], 'type') && !isIdent(tokens[k + 1], 'from') && !isPunct(tokens[k + 1], ',')) {
        typeOnly = true;
        k++;
      }
      let hasValueBinding = false;
      let braceTypesOnly = true;
      while (k < tokens.length && !isIdent(tokens[k], 'from')) {
        const u = tokens[k];
        if (isPunct(u, '{')) {
          const clause = braceClause(tokens, k);
          braceTypesOnly = clause.allTypes && !clause.empty;
          k = clause.end;
          continue;
        }
        if (isPunct(u, ';') || isPunct(u, '=') || isIdent(u, 'import') || isIdent(u, 'export')) break;
        if (u.type === 'ident' && u.value !== 'as') hasValueBinding = true;
        if (isPunct(u, '*')) hasValueBinding = true;
        k++;
      }
      const from = tokens[k + 1];
      if (isIdent(tokens[k], 'from') && from?.type === 'string') {
        // `import { type A } from` with no default or namespace binding is erased like `import type`.
        const erased = typeOnly || (!hasValueBinding && braceTypesOnly && tokens.slice(i + 1, k).some((u) => isPunct(u, '{')));
        imports.push({ specifier: from.value, line: t.line, kind: 'import', typeOnly: erased });
      }
      continue;
    }

    if (t.value === 'export') {
      let k = i + 1;
      let typeOnly = false;
      if (isIdent(tokens[k], 'type') && (isPunct(tokens[k + 1], '{') || isPunct(tokens[k + 1], '*'))) {
        typeOnly = true;
        k++;
      }
      if (isPunct(tokens[k], '*')) {
        k++;
        if (isIdent(tokens[k], 'as')) k += 2;
      } else if (isPunct(tokens[k], '{')) {
        const clause = braceClause(tokens, k);
        if (clause.allTypes && !clause.empty) typeOnly = true;
        k = clause.end;
      } else {
        continue;
      }
      const from = tokens[k + 1];
      if (isIdent(tokens[k], 'from') && from?.type === 'string') {
        imports.push({ specifier: from.value, line: t.line, kind: 'export-from', typeOnly });
      }
    }
  }
  return { imports, problems };
}

/** Globals that make a run depend on the machine, the wall clock or the host's entropy. */
export const BANNED_GLOBALS = ['Math.random', 'Date', 'performance', 'setTimeout', 'setInterval', 'setImmediate', 'crypto', 'process'] as const;

/** Objects through which a global can be reached as a property: `globalThis.setTimeout(...)`. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);

/**
 * Uses of banned globals in code (not in comments, strings or types): `Math.random`, `Date.now()`, `new Date`,
 * `Date(...)`, `performance.now()`, `setTimeout(...)`, `setInterval(...)`, `crypto.getRandomValues(...)`,
 * `process.env`, and any of these reached through `globalThis`/`window`/`self`. A property of our own objects
 * with one of these names (`this.process(...)`, `opts.crypto`) is not a use.
 */
export function findBannedGlobals(src: string): GlobalUse[] {
  const tokens = tokenize(src);
  const uses: GlobalUse[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'ident') continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const viaGlobalObject = isPunct(prev, '.') && isIdent(tokens[i - 2]) && GLOBAL_OBJECTS.has(tokens[i - 2].value) && !isPunct(tokens[i - 3], '.');
    const free = !isPunct(prev, '.') || viaGlobalObject;
    if (!free) continue;
    const used = isPunct(next, '.') || isPunct(next, '(') || isPunct(next, '[') || (isPunct(next, '?') && isPunct(tokens[i + 2], '.'));
    switch (t.value) {
      case 'Math':
        if (isPunct(next, '.') && isIdent(tokens[i + 2], 'random')) uses.push({ name: 'Math.random', line: t.line });
        else if (isPunct(next, '[')) uses.push({ name: 'Math[...] (computed access could reach Math.random)', line: t.line });
        break;
      case 'Date':
        if (used || isIdent(prev, 'new')) uses.push({ name: 'Date', line: t.line });
        break;
      case 'performance':
      case 'crypto':
      case 'process':
        if (used || viaGlobalObject) uses.push({ name: t.value, line: t.line });
        break;
      case 'setTimeout':
      case 'setInterval':
      case 'setImmediate':
        if (isPunct(next, '(') || viaGlobalObject) {
          // A method declaration `setTimeout(ms: number) {` in a class is ours, not the global.
          if (!viaGlobalObject && isMethodDeclaration(tokens, i)) break;
          uses.push({ name: t.value, line: t.line });
        }
        break;
    }
  }
  return uses;
}

/** `name(...) {` or `name(...): T {` preceded by a statement boundary or a modifier: a class method. */
function isMethodDeclaration(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  const boundary = prev === undefined || isPunct(prev, ';') || isPunct(prev, '}') || isPunct(prev, '{') || (prev.type === 'ident' && ['public', 'private', 'protected', 'static', 'async', 'override', 'readonly'].includes(prev.value));
  if (!boundary) return false;
  let depth = 0;
  let k = i + 1;
  for (; k < tokens.length; k++) {
    if (isPunct(tokens[k], '(')) depth++;
    else if (isPunct(tokens[k], ')')) {
      depth--;
      if (depth === 0) break;
    }
  }
  const after = tokens[k + 1];
  return isPunct(after, '{') || isPunct(after, ':');
}
