console.log('module start');
const v = await new Promise(r => setTimeout(() => r('resolved by timer'), 5));
console.log('top-level await got', v);
await null;
console.log('typeof require in ESM:', typeof require);
export const x = 1;
