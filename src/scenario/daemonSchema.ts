import type { KeepalivedConfig, LdirectordConfig } from '../apps/daemons/index.ts';
import type { SourcePos } from './ScenarioError.ts';

/**
 * Extension (issue 5): a host's `keepalived:` and `ldirectord:` keys, read into the daemons' own typed
 * settings (src/apps/daemons). Interface names are checked against the host's interfaces when the world is
 * built, at the position kept here.
 */
export interface InterfaceRef {
  readonly name: string;
  readonly pos: SourcePos;
  readonly path: string;
}

export interface KeepalivedSpec {
  readonly config: KeepalivedConfig;
  readonly pos: SourcePos;
  readonly ifaceRefs: readonly InterfaceRef[];
}

export interface LdirectordSpec {
  readonly config: LdirectordConfig;
  readonly pos: SourcePos;
}
