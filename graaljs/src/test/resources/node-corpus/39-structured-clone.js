const src = { n: 1, s: 'x', arr: [1, { deep: true }], date: new Date(0), map: new Map([[1, 'a']]), set: new Set([2]), nil: null };
src.self = src;
const c = structuredClone(src);
console.log(c !== src, c.arr !== src.arr, c.arr[1].deep, c.self === c, c.date instanceof Date, c.date.getTime());
console.log(c.map.get(1), c.set.has(2), c.nil);
try { structuredClone({ f() {} }); } catch (e) { console.log('function not cloneable:', e.name); }
