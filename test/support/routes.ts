/** Routes that need no principal; every other route takes a token or a session. */
export const PUBLIC_ROUTES: readonly string[] = [
  'GET /healthz',
  'GET /readyz',
  'GET /v1/catalog',
  'GET /v1/quote',
  'GET /v1/trust',
  'POST /v1/activations',
  'POST /v1/activations/offline',
  'POST /v1/activations/batch',
  'POST /v1/users/accept',
  'POST /v1/session',
];
