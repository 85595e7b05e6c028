/**
 * The part of a Debian director's /etc/services that `ipvsadm` consults through getservbyname (a port typed
 * as `host:http`) and getservbyport (ports shown by name when `-n` is not given). The lab has no file system,
 * so a built-in table stands in for netbase's file: the well-known ports a load-balancing lab meets, with
 * the names and aliases IANA (and Debian, for 10000) gives them, in the file's order. glibc's "files" lookup
 * returns the first entry that matches, which is what these functions do.
 */
const SERVICES: readonly string[] = [
  'echo 7/tcp',
  'echo 7/udp',
  'discard 9/tcp sink null',
  'discard 9/udp sink null',
  'daytime 13/tcp',
  'daytime 13/udp',
  'qotd 17/tcp quote',
  'chargen 19/tcp ttytst source',
  'chargen 19/udp ttytst source',
  'ftp-data 20/tcp',
  'ftp 21/tcp',
  'fsp 21/udp fspd',
  'ssh 22/tcp',
  'telnet 23/tcp',
  'smtp 25/tcp mail',
  'time 37/tcp timserver',
  'time 37/udp timserver',
  'whois 43/tcp nicname',
  'tacacs 49/tcp',
  'tacacs 49/udp',
  'domain 53/tcp',
  'domain 53/udp',
  'bootps 67/udp',
  'bootpc 68/udp',
  'tftp 69/udp',
  'gopher 70/tcp',
  'finger 79/tcp',
  'http 80/tcp www',
  'kerberos 88/tcp kerberos5 krb5 kerberos-sec',
  'kerberos 88/udp kerberos5 krb5 kerberos-sec',
  'pop3 110/tcp pop-3',
  'sunrpc 111/tcp portmapper',
  'sunrpc 111/udp portmapper',
  'auth 113/tcp authentication tap ident',
  'nntp 119/tcp readnews untp',
  'ntp 123/udp',
  'netbios-ns 137/udp',
  'netbios-dgm 138/udp',
  'netbios-ssn 139/tcp',
  'imap2 143/tcp imap',
  'snmp 161/tcp',
  'snmp 161/udp',
  'snmp-trap 162/tcp snmptrap',
  'snmp-trap 162/udp snmptrap',
  'bgp 179/tcp',
  'ldap 389/tcp',
  'ldap 389/udp',
  'https 443/tcp',
  'https 443/udp',
  'microsoft-ds 445/tcp',
  'submissions 465/tcp ssmtp smtps urd',
  'isakmp 500/udp',
  'ipp 631/tcp',
  'shell 514/tcp cmd syslog',
  'syslog 514/udp',
  'printer 515/tcp spooler',
  'submission 587/tcp',
  'ldaps 636/tcp',
  'ldaps 636/udp',
  'rsync 873/tcp',
  'imaps 993/tcp',
  'pop3s 995/tcp',
  'socks 1080/tcp',
  'openvpn 1194/tcp',
  'openvpn 1194/udp',
  'radius 1812/tcp',
  'radius 1812/udp',
  'radius-acct 1813/tcp radacct',
  'radius-acct 1813/udp radacct',
  'nfs 2049/tcp',
  'nfs 2049/udp',
  'iscsi-target 3260/tcp',
  'mysql 3306/tcp',
  'ms-wbt-server 3389/tcp',
  'epmd 4369/tcp',
  'sip 5060/tcp',
  'sip 5060/udp',
  'sip-tls 5061/tcp',
  'sip-tls 5061/udp',
  'mdns 5353/udp',
  'postgresql 5432/tcp postgres',
  'amqp 5672/tcp',
  'amqp 5672/sctp',
  'redis 6379/tcp',
  'http-alt 8080/tcp webcache',
  'webmin 10000/tcp',
];

export type ServiceProtocol = 'tcp' | 'udp' | 'sctp';

interface ServiceEntry {
  readonly name: string;
  readonly port: number;
  readonly proto: ServiceProtocol;
  readonly aliases: readonly string[];
}

const ENTRIES: readonly ServiceEntry[] = SERVICES.map((line) => {
  const [name, portProto, ...aliases] = line.split(' ');
  const [port, proto] = portProto.split('/');
  return { name, port: Number(port), proto: proto as ServiceProtocol, aliases };
});

/** getservbyname(name, proto): the port of the first entry whose name or alias matches, or undefined. */
export function serviceToPort(name: string, proto: ServiceProtocol): number | undefined {
  return ENTRIES.find((e) => e.proto === proto && (e.name === name || e.aliases.includes(name)))?.port;
}

/** getservbyport(port, proto): the name of the first entry for that port, or undefined. */
export function portToService(port: number, proto: ServiceProtocol): string | undefined {
  return ENTRIES.find((e) => e.proto === proto && e.port === port)?.name;
}
