const {a: {b = req.query}, ...rest} = x;
class A extends (class {}) { #p = 1; static { this.x = eval(location.hash) } }
new new new F()()();
for await (const [k, v] of new Map()) { label: while (1) break label; }
const t = tag`a${b}c${`nested ${d}`}`;
