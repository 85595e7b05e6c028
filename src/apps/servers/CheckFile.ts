/**
 * The file a health checker asks a real server for (ldirectord's `request="/check.txt"` with
 * `receive="..."`, keepalived's HTTP_GET `url { path ... }`): a fixed body at a fixed path. The ldirectord seed
 * puts `webserverisworking` in /var/www/html/check.txt; a scenario may choose any path and text.
 */
export interface CheckFile {
  readonly path: string;
  readonly body: string;
}

export const DEFAULT_CHECK_FILE: CheckFile = { path: '/check.txt', body: 'OK\n' };
