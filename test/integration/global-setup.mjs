// Jest loads global setup outside its module mapper; tsx's loader lets it import the TypeScript sources as they are.
import { register } from 'tsx/esm/api';

export default async function setup() {
  register();
  const { default: start } = await import('./engine-setup.ts');
  await start();
}
