/**
 * The probe's out-of-band control protocol over TCP (like perftest's exchange of
 * parameters before a test): every frame is
 *
 *   "IBVF" (4 bytes) | version u16 BE | reserved u16 (0) | length u32 BE | JSON (length bytes)
 *
 * The first frame each way is the handshake (hello / welcome or reject). parseFrame
 * never throws: a stranger's bytes give `{ status: 'bad' }` with a reason.
 */
export const MAGIC = Buffer.from('IBVF', 'ascii');
// 2: each job starts with a settling exchange (native/measure.cc); version 1 peers would stall.
export const PROTOCOL_VERSION = 2;
export const HEADER_BYTES = 12;
/** Largest JSON payload accepted (a control message is small; results stay local). */
export const MAX_PAYLOAD = 1 << 20;

export type ParsedFrame =
  | { status: 'incomplete' }
  | { status: 'frame'; message: Record<string, unknown>; size: number }
  | { status: 'bad'; reason: string };

export function encodeFrame(message: object, version = PROTOCOL_VERSION): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(head, 0);
  head.writeUInt16BE(version, 4);
  head.writeUInt16BE(0, 6);
  head.writeUInt32BE(body.length, 8);
  return Buffer.concat([head, body]);
}

/** Reads one frame from the start of `buf`. */
export function parseFrame(buf: Buffer): ParsedFrame {
  const seen = Math.min(buf.length, MAGIC.length);
  if (!buf.subarray(0, seen).equals(MAGIC.subarray(0, seen))) {
    return { status: 'bad', reason: 'not an ibvf probe peer (bad magic bytes)' };
  }
  if (buf.length < HEADER_BYTES) return { status: 'incomplete' };
  const version = buf.readUInt16BE(4);
  if (version !== PROTOCOL_VERSION) {
    return {
      status: 'bad',
      reason: `protocol version mismatch: the peer speaks version ${version}, this ibvf speaks ${PROTOCOL_VERSION} (use the same ibvf on both sides)`,
    };
  }
  const length = buf.readUInt32BE(8);
  if (length > MAX_PAYLOAD)
    return { status: 'bad', reason: `frame of ${length} bytes is larger than ${MAX_PAYLOAD}` };
  if (buf.length < HEADER_BYTES + length) return { status: 'incomplete' };
  let message: unknown;
  try {
    message = JSON.parse(buf.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8'));
  } catch {
    return { status: 'bad', reason: 'frame payload is not JSON' };
  }
  if (
    typeof message !== 'object' ||
    message === null ||
    Array.isArray(message) ||
    typeof (message as { type?: unknown }).type !== 'string'
  ) {
    return { status: 'bad', reason: 'frame payload is not a message object with a type' };
  }
  return { status: 'frame', message: message as Record<string, unknown>, size: HEADER_BYTES + length };
}
