import { register } from 'tsx/esm/api';

export default async function teardown() {
  register();
  const { default: stop } = await import('./engine-teardown.ts');
  await stop();
}
