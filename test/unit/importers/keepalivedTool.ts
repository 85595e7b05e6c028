import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The yardstick: Debian's keepalived (2.2.7, installed by .ci/run) run as `keepalived --config-test -f FILE`.
 * keepalived checks the file in several processes whose lines interleave, so the output is normalised: the
 * file's path is replaced by its base name, and the lines are sorted and deduplicated. `lines` are the line
 * numbers it names (`(FILE: Line N)` or `(Line N)`). Lines about interfaces missing on this machine are kept
 * apart: they depend on the machine, not on the file.
 */
export const KEEPALIVED = existsSync('/usr/sbin/keepalived') ? '/usr/sbin/keepalived' : 'keepalived';

export interface ConfigTest {
  /** normalised output, without the interface-existence lines */
  output: string;
  lines: number[];
  /** `WARNING - interface X … doesn't exist`, `tracked interface X doesn't exist`, `Non-existent interface specified in configuration` */
  interfaceWarnings: string[];
}

export function keepalivedConfigTest(absFile: string): ConfigTest {
  const r = spawnSync(KEEPALIVED, ['--config-test', '-f', absFile], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`cannot run ${KEEPALIVED} (install keepalived: .ci/run does): ${r.error.message}`);
  const raw = `${r.stdout}${r.stderr}`.split(absFile).join(basename(absFile));
  // Whether eth1 exists depends on the machine running the test, not on the file: those lines are set apart.
  const all = [...new Set(raw.split('\n').filter((l) => l.trim() !== ''))].sort();
  const isInterface = (l: string) => /WARNING - interface \S+ .*doesn't exist|tracked interface \S+ doesn't exist|Non-existent interface specified in configuration/.test(l);
  const sorted = all.filter((l) => !isInterface(l));
  const lines = new Set<number>();
  for (const l of sorted) {
    const m = /\((?:[^)]*: )?Line (\d+)\)/.exec(l);
    if (m) lines.add(Number(m[1]));
  }
  return { output: sorted.map((l) => `${l}\n`).join(''), lines: [...lines].sort((a, b) => a - b), interfaceWarnings: all.filter(isInterface) };
}

/**
 * The recorded output next to the fixture (`FILE.keepalived-config-test.txt`), so that the comparison is
 * explicit in the repository; `UPDATE_KEEPALIVED=1` rewrites it from the live tool.
 */
export function recordedConfigTest(absFile: string, live: ConfigTest): string {
  const path = `${absFile}.keepalived-config-test.txt`;
  if (process.env.UPDATE_KEEPALIVED === '1') writeFileSync(path, live.output);
  if (!existsSync(path)) throw new Error(`${path} is missing: record it with UPDATE_KEEPALIVED=1`);
  return readFileSync(path, 'utf8');
}
