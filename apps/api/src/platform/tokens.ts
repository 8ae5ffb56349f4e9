/** Injection tokens for the platform's parts (see platform.ts). */
export const PLATFORM = Symbol('PLATFORM');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_DB = Symbol('READ_DB');
export const PROJECTOR = Symbol('PROJECTOR');
export const CHANGE_FEED = Symbol('CHANGE_FEED');
export const CLOCK = Symbol('CLOCK');
export const CONFIG = Symbol('CONFIG');
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export type Clock = () => Date;
