/** The LadderRunner of the platform (platform.ts), for the ladder mutations. */
export const LADDER_RUNNER = Symbol('LADDER_RUNNER');
