import { describe, expect, it } from 'vitest';
import { activeTarget, pasvPort, pasvReply, portCommand } from '../../../src/apps/ftpLikeProtocol.ts';
import { parseIpv4 } from '../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s) as number;

describe('the FTP-like protocol: addresses and ports in the control connection', () => {
  it('227 and PORT write h1,h2,h3,h4,p1,p2; the client reads the port back', () => {
    expect(pasvReply(ip('192.168.0.2'), 50000)).toBe('227 Entering Passive Mode (192,168,0,2,195,80)');
    expect(pasvPort(pasvReply(ip('192.168.0.2'), 50004))).toBe(50004);
    expect(portCommand(ip('198.51.100.137'), 42013)).toBe('PORT 198,51,100,137,164,29');
  });

  it('the server reads PORT and EPRT |1|…| back to an address and port', () => {
    expect(activeTarget('PORT', '198,51,100,137,164,29')).toEqual({ addr: ip('198.51.100.137'), port: 42013 });
    expect(activeTarget('EPRT', '|1|198.51.100.137|42013|')).toEqual({ addr: ip('198.51.100.137'), port: 42013 });
    // Any delimiter the client chooses (RFC 2428 §2).
    expect(activeTarget('EPRT', '!1!10.0.0.1!21!')).toEqual({ addr: ip('10.0.0.1'), port: 21 });
  });

  it('refuses what is not an address and a port: the server answers 500', () => {
    for (const arg of ['198,51,100,137,164', '198,51,100,137,164,29,1', '256,0,0,1,1,1', '1,2,3,4,0,0', 'a,b,c,d,e,f', '']) {
      expect(activeTarget('PORT', arg), arg).toBeUndefined();
    }
    for (const arg of ['|2|::1|21|', '|1|10.0.0.1|0|', '|1|10.0.0.1|65536|', '|1|10.0.0|21|', '|1|10.0.0.1|21', '']) {
      expect(activeTarget('EPRT', arg), arg).toBeUndefined();
    }
  });
});
