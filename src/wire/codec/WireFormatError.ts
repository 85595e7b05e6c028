/**
 * Raised when bytes cannot be read as the frame they claim to be: too short, a length field pointing past the
 * end, a wrong version, a bad checksum. Parsing throws this and nothing else, whatever the input.
 */
export class WireFormatError extends Error {
  /** The protocol layer being read when the problem was found (`ethernet`, `ipv4`, `tcp`, ...). */
  readonly layer: string;
  /** Byte offset in the parsed buffer where the offending field or header starts. */
  readonly offset: number;

  constructor(layer: string, offset: number, message: string) {
    super(`${layer} at byte ${offset}: ${message}`);
    this.name = 'WireFormatError';
    this.layer = layer;
    this.offset = offset;
  }
}
