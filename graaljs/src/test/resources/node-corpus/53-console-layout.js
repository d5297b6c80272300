// util.inspect's line breaking and array grouping, as console.log uses them.
console.log([1, 2, 3, 4, 5, 6, 7]);
console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
console.log(['apple', 'banana', 'cherry', 'date', 'elder', 'fig', 'grape']);
console.log(Array.from({ length: 30 }, (_, i) => i * 100));
console.log(new Uint8Array([1, 2, 3]));
console.log([{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5 }]);
console.log(function f() {}, async function g() {}, async () => 1, function* () {});
console.log({ a: { b: { c: {} } } });
console.log([[[[[]]]]]);
console.log({ 'x y': 1, 2: 3, [Symbol('s')]: 4 });
console.log(new Date(0), /x/g, new Number(3), new String('ab'));
const o = { name: 'loop' }; o.self = o; console.log(o);
class Foo { constructor() { this.x = 1; } }
console.log(new Foo(), [new Foo()]);
console.log({ get g() { return 1; }, set s(v) {} });
console.log('a'.repeat(40).split(''));
console.log({ longPropertyNameNumberOne: 'some string value', longPropertyNameNumberTwo: [1, 2, 3], three: { x: 1 } });
console.log(new Map(), new Set(), new Map([[{ k: 1 }, [1, 2]]]));
console.log([undefined, null], { u: undefined }, [-0]);
console.log('%o', 42, '%O', 'str');
const err = new Error('with props'); err.code = 'E_X';
console.log(err.message, Object.keys(err));
