export const TALENT_PATHS = {
  list: '/talent',
  calculator: '/talent/calculator',
  arrangement: '/talent/:arrangementId',
} as const;
