/**
 * ibvf: the library. Everything the CLI does is available here.
 *
 *   import { loadProfile, predictP2p } from 'ibvf';
 */
export * from './errors.js';
