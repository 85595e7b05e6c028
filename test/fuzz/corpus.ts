import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real inputs the fuzzer mutates: the shipped scenarios, the seeds' configuration files and command lines,
 * the keepalived fixtures and the IPVS oracle's experiment files. Read once per process, in a fixed order (sorted
 * paths) so that a seed reproduces the same inputs.
 */

const ROOT = new URL('../../', import.meta.url).pathname;

function filesUnder(dir: string, pred: (name: string) => boolean): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs).sort()) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(join(dir, name), pred));
    else if (pred(name)) out.push(p);
  }
  return out;
}

function read(paths: readonly string[]): string[] {
  return paths.map((p) => readFileSync(p, 'utf8'));
}

let cache: Corpus | undefined;

export interface Corpus {
  scenarios: string[];
  keepalived: string[];
  ldirectord: string[];
  scripts: string[];
  saves: string[];
  haCf: string[];
  haresources: string[];
  experiments: string[];
  commandLines: string[];
}

export function corpus(): Corpus {
  if (cache) return cache;
  const seeds = (re: RegExp) => filesUnder('test/fixtures/seeds', (n) => re.test(n));
  // The oracle's experiments live beside the project (shared reference); the project's own extras always exist.
  const experiments = [
    ...filesUnder('../shared/reference/oracle/experiments', (n) => n.endsWith('.json')),
    ...filesUnder('test/fixtures/oracle-extra', (n) => n.endsWith('.json')),
  ];
  const commandLines = readFileSync(join(ROOT, 'test/fixtures/seed-commands.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('=='));
  const scripts = read(seeds(/\.sh$/));
  const scenarios = read(filesUnder('scenarios', (n) => n.endsWith('.yaml')));
  // Every command line of the shipped scenarios and scripts, too: ipvsadm and iptables lines are there.
  for (const text of [...scenarios, ...scripts]) {
    for (const m of text.matchAll(/^\s*-?\s*(?:run:\s*)?((?:\/\S*\/)?(?:ipvsadm|iptables|ip|ifconfig|route|arp|sysctl|echo|cat|modprobe|ping|arping|systemctl|service)\s[^\n#]*)$/gm)) {
      commandLines.push(m[1].trim().replace(/^["']|["']$/g, ''));
    }
  }
  cache = {
    scenarios,
    keepalived: read([...filesUnder('test/fixtures', (n) => n.endsWith('.conf'))]),
    ldirectord: read(seeds(/ldirectord\.cf$/)),
    scripts,
    saves: read(seeds(/ipvsadm-save/)),
    haCf: read(seeds(/ha\.cf$/)),
    haresources: read(seeds(/haresources$/)),
    experiments: read(experiments),
    commandLines: [...new Set(commandLines)],
  };
  return cache;
}
