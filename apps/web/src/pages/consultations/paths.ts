export const CONSULTATION_PATHS = {
  list: '/consultations',
  consultation: '/consultations/:consultationId',
} as const;
