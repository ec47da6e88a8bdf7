/** The roles a bearer token can carry; ADMIN may call everything. */
export const ROLES = ['EZ', 'SC', 'POST', 'LG', 'BI', 'IFK', 'TL', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];
