import { createHash, timingSafeEqual } from 'node:crypto';
import { MAX_PAIRS } from './pair-limit.js';
import type { HostInfo } from './result.js';
import type { VerbsOptions } from './verbs/device-result.js';

/** The options both sides of a run must agree on; the handshake compares them. */
export interface AgreedOptions {
  transport: string;
  suite: string;
  pairs: number;
  progress: string[];
  sizes: number[];
  iterations: number | null;
  /** --transport verbs: --op and --inline (the server runs what the client asks). */
  verbs?: VerbsOptions;
}

export const AGREED_KEYS: (keyof AgreedOptions)[] = [
  'transport',
  'suite',
  'pairs',
  'progress',
  'sizes',
  'iterations',
];

/** How each agreed option is spelled on the command line, for error messages. */
export const FLAG: Record<keyof AgreedOptions, string> = {
  transport: '--transport',
  suite: '--suite',
  pairs: '--pairs',
  progress: '--progress',
  sizes: '--sizes',
  iterations: '--iters',
  verbs: '--op/--inline',
};

export interface Hello {
  type: 'hello';
  token: string;
  options: AgreedOptions;
  host: HostInfo;
  bootId: string;
  pid: number;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Compares tokens in constant time (an empty token matches only an empty token). */
export function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** An option's value for a message; a peer's JSON may hold anything (`{"toString":1}` too), so never throws. */
export function show(v: unknown): string {
  return Array.isArray(v) ? v.map(showOne).join(',') : showOne(v);
}

function showOne(v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v);
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

/**
 * The server's verdict on a client's hello: the token must match, and every option
 * the server was given (`constraints`) must equal the client's. Returns the reason
 * to reject, or undefined to accept. Never throws on malformed input.
 */
/** What a server insists on: its command line's agreed options, and for verbs its --op and --inline. */
export type Constraints = Partial<Omit<AgreedOptions, 'verbs'>> & { verbs?: Partial<VerbsOptions> };

/** An inline size as the command line says it (-1: none given, the device's maximum). */
const inlineText = (v: unknown) => (v === -1 ? "the device's maximum" : show(v));

export function checkHello(
  m: Record<string, unknown>,
  token: string,
  constraints: Constraints,
): { hello: Hello } | { reason: string } {
  if (m.type !== 'hello') return { reason: `expected a hello message, got ${show(m.type)}` };
  if (typeof m.token !== 'string' || !sameToken(m.token, token)) {
    return { reason: 'wrong token: the peers must share the same --token (or IBVF_TOKEN)' };
  }
  const o = m.options as Partial<AgreedOptions> | undefined;
  if (typeof o !== 'object' || o === null) return { reason: 'hello without options' };
  if (typeof o.transport !== 'string' || typeof o.suite !== 'string' || typeof o.pairs !== 'number') {
    return { reason: 'hello with malformed options' };
  }
  if (!Array.isArray(o.progress) || !Array.isArray(o.sizes))
    return { reason: 'hello with malformed options' };
  // a client's --pairs sizes the endpoints this server creates: never beyond the probe's limit
  if (!Number.isInteger(o.pairs) || o.pairs < 1 || o.pairs > MAX_PAIRS)
    return { reason: `--pairs ${show(o.pairs)} is not between 1 and ${MAX_PAIRS}` };
  for (const key of AGREED_KEYS) {
    const want = constraints[key];
    if (want === undefined) continue;
    if (show(want) !== show(o[key])) {
      return {
        reason: `option mismatch: ${FLAG[key]} is ${show(want)} on the server but ${show(o[key])} on the client`,
      };
    }
  }
  // verbs: the operation and inline size the server was started with (the MTU is compared
  // once both ports are open: verbs/mtu-check.ts)
  const mine = constraints.verbs ?? {};
  const theirs = (o.verbs ?? {}) as Partial<VerbsOptions>;
  if (mine.op !== undefined && mine.op !== theirs.op)
    return {
      reason: `option mismatch: --op is ${mine.op} on the server but ${theirs.op ?? 'not verbs'} on the client`,
    };
  if (mine.inline !== undefined && mine.inline !== theirs.inline)
    return {
      reason:
        `option mismatch: --inline is ${inlineText(mine.inline)} on the server but ` +
        `${theirs.inline === undefined ? 'not verbs' : inlineText(theirs.inline)} on the client`,
    };
  if (typeof m.host !== 'object' || m.host === null || typeof m.bootId !== 'string') {
    return { reason: 'hello without host information' };
  }
  return { hello: m as unknown as Hello };
}
