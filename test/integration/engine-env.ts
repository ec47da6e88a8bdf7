/** The environment integration tests run with: a local engine with a controllable clock, its own data folder. */
export const integrationEnv: Record<string, string> = {
  NODE_ENV: 'test',
  ENGINE_CLOCK_CONTROL: 'true',
  DATA_DIR: process.env.TEST_DATA_DIR ?? '.data/test',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LOG_FORMAT: 'json',
  API_TOKENS: 'integration-test-admin-token=ADMIN,integration-test-ez-token=EZ',
  ...(process.env.ZEEBE_ADDRESS ? { ZEEBE_ADDRESS: process.env.ZEEBE_ADDRESS } : {}),
  ...(process.env.CAMUNDA_REST_ADDRESS ? { CAMUNDA_REST_ADDRESS: process.env.CAMUNDA_REST_ADDRESS } : {}),
  ...(process.env.CAMUNDA_VERSION ? { CAMUNDA_VERSION: process.env.CAMUNDA_VERSION } : {}),
  ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
};
