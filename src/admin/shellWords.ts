/**
 * Splits one command line into words the way sh does for the subset the lab models: blanks separate words;
 * single quotes keep everything literal; double quotes keep everything but `\"`, `\\`, `\$` and `` \` ``
 * escapes; a backslash outside quotes escapes the next character; `#` at the start of a word begins a comment;
 * `> FILE` and `>> FILE` (also `1>FILE`) redirect the command's output.
 *
 * Everything else sh would interpret — pipes, lists (`;`, `&&`, `||`, `&`), substitutions (`$(...)`,
 * backquotes, `$VAR`), other redirections, globbing, variable assignments — is refused with an error naming
 * the construct, so a line never silently means something else than in a real shell.
 */
export interface ShellLine {
  readonly words: string[];
  readonly redirect?: { readonly path: string; readonly append: boolean };
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

function notModelled(what: string): ShellSyntaxError {
  return new ShellSyntaxError(`lvs-lab: shell syntax is not modelled: ${what} (one command per line, no pipes, lists, substitutions or globbing)`);
}

const GLOB = new Set(['*', '?', '[']);

export function splitShellWords(line: string): ShellLine {
  const words: string[] = [];
  let redirect: { path: string; append: boolean } | undefined;
  let word = '';
  let inWord = false;
  let quotedWord = false; // the current word contains a quoted or escaped part
  let expectTarget: { append: boolean } | undefined;

  const endWord = () => {
    if (!inWord) return;
    if (expectTarget) {
      redirect = { path: word, append: expectTarget.append };
      expectTarget = undefined;
    } else {
      if (words.length === 0 && !quotedWord && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) throw notModelled(`variable assignment "${word}"`);
      words.push(word);
    }
    word = '';
    inWord = false;
    quotedWord = false;
  };

  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("bash: unexpected EOF while looking for matching `''");
      word += line.slice(i + 1, end);
      inWord = true;
      quotedWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= line.length) throw new ShellSyntaxError('bash: unexpected EOF while looking for matching `"\'');
        const d = line[j];
        if (d === '"') break;
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) {
          word += line[j + 1];
          j += 2;
          continue;
        }
        if (d === '$') throw notModelled('"$" expansion');
        if (d === '`') throw notModelled('command substitution with backquotes');
        word += d;
        j++;
      }
      inWord = true;
      quotedWord = true;
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 < line.length) word += line[i + 1];
      inWord = true;
      quotedWord = true;
      i += 2;
      continue;
    }
    if (c === '>') {
      if (redirect || expectTarget) throw notModelled('more than one redirection');
      // `1>` is a descriptor number, not an argument; `2>` and friends are not modelled.
      if (inWord && !quotedWord && /^\d+$/.test(word)) {
        if (word !== '1') throw notModelled(`redirection of descriptor ${word}`);
        word = '';
        inWord = false;
      } else {
        endWord();
      }
      const append = line[i + 1] === '>';
      i += append ? 2 : 1;
      if (line[i] === '&') throw notModelled('">&" descriptor duplication');
      if (line[i] === '|') throw notModelled('">|"');
      expectTarget = { append };
      continue;
    }
    if (c === '|') throw notModelled(line[i + 1] === '|' ? '"||" list' : '"|" pipe');
    if (c === '&') throw notModelled(line[i + 1] === '&' ? '"&&" list' : '"&" background job');
    if (c === ';') throw notModelled('";" list');
    if (c === '<') throw notModelled('"<" input redirection');
    if (c === '`') throw notModelled('command substitution with backquotes');
    if (c === '$') throw notModelled(line[i + 1] === '(' ? '"$(...)" command substitution' : '"$" expansion');
    if (c === '(' || c === ')') throw notModelled('"(" subshell');
    if (GLOB.has(c)) throw notModelled(`globbing with "${c}"`);
    word += c;
    inWord = true;
    i++;
  }
  endWord();
  if (expectTarget) throw new ShellSyntaxError("bash: syntax error near unexpected token `newline'");
  if (redirect && words.length === 0) throw notModelled('a redirection without a command');
  return redirect ? { words, redirect } : { words };
}
