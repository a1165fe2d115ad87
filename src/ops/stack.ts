// The stack module: moving values around on the stack.
import { alias, type ModuleDef, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import type { Value } from '../core/values.js';
import { asQuot } from '../core/control.js';
import { checkItems } from '../core/limits.js';
import { emptyStack } from '../core/errors.js';

/** a in front of the items of q (cons, swons). */
function consed(a: Value, q: Value[], what: string): Value[] {
  checkItems(q.length + 1, what);
  return [a, ...q];
}

export const stackModule: ModuleDef = {
  name: 'stack',
  ops: [
    op('clear-stack', '==>', 'Empties the stack.', (i: OpContext) => {
      i.stack.length = 0;
    }),
    op('cleave', 'a quot ==> a*', 'Applies each quotation in quot to a, in order, leaving every result.', function* (i: OpContext, a: Value, qs: Value[]) {
      for (const q of qs) {
        i.push(a);
        yield asQuot(q);
      }
    }),
    op('cons', 'a quot ==> quot', 'Prepends a to quot.', (_i, a: Value, q: Value[]) => consed(a, q, 'cons')),
    op('dip', 'a quot ==> a* a', 'Removes a, dequotes quot, then puts a back.', function* (i: OpContext, a: Value, q: Value[]) {
      yield q;
      i.push(a);
    }),
    op('dup', 'a ==> a a', 'Duplicates the top value.', (i: OpContext, a: Value) => {
      i.stack.push(a, a);
    }),
    op('get-stack', '==> quot', 'Pushes a quotation holding the whole stack.', (i: OpContext) => {
      checkItems(i.stack.length, 'get-stack');
      return i.stack.slice();
    }),
    alias('getstack', 'get-stack'),
    op('id', '==>', 'Does nothing.', () => {}),
    op('keep', 'a quot ==> a* a', 'Dequotes quot with a on the stack, then puts a back on top.', function* (i: OpContext, a: Value, q: Value[]) {
      i.push(a);
      yield q;
      i.push(a);
    }),
    op('nip', 'a1 a2 ==> a2', 'Removes the second value.', (_i, _a: Value, b: Value) => b),
    op('over', 'a1 a2 ==> a1 a2 a1', 'Pushes a copy of the second value.', (i: OpContext, a: Value, b: Value) => {
      i.stack.push(a, b, a);
    }),
    op('pick', 'a1 a2 a3 ==> a1 a2 a3 a1', 'Pushes a copy of the third value.', (i: OpContext, a: Value, b: Value, c: Value) => {
      i.stack.push(a, b, c, a);
    }),
    op('pop', 'a ==>', 'Removes the top value.', () => {}),
    op('rolldown', 'a1 a2 a3 ==> a2 a3 a1', 'Moves the third value to the top.', (i: OpContext, a: Value, b: Value, c: Value) => {
      i.stack.push(b, c, a);
    }),
    op('rollup', 'a1 a2 a3 ==> a3 a2 a1', 'Reverses the top three values.', (i: OpContext, a: Value, b: Value, c: Value) => {
      i.stack.push(c, b, a);
    }),
    op('set-stack', 'quot ==> a*', 'Replaces the whole stack with the contents of quot.', (i: OpContext, q: Value[]) => {
      checkItems(q.length, 'set-stack');
      i.swapStack(q.slice());
    }),
    alias('setstack', 'set-stack'),
    op('sip', 'quot1 quot2 ==> a* quot1', 'Pushes quot1, dequotes quot2, then pushes quot1 again.', function* (i: OpContext, q1: Value[], q2: Value[]) {
      i.push(q1);
      yield q2;
      i.push(q1);
    }),
    op('spread', 'quot ==> a*', 'With n quotations in quot, applies the k-th to the k-th of the n values below it.', function* (i: OpContext, qs: Value[]) {
      const n = qs.length;
      // Fewer values than quotations: popping one would not do (one left of two is no error to pop).
      if (i.stack.length < n) throw emptyStack();
      const vals = i.stack.splice(i.stack.length - n, n);
      for (let k = 0; k < n; k++) {
        i.push(vals[k]!);
        yield asQuot(qs[k]!);
      }
    }),
    op('swap', 'a1 a2 ==> a2 a1', 'Swaps the top two values.', (i: OpContext, a: Value, b: Value) => {
      i.stack.push(b, a);
    }),
    op('swons', 'quot a ==> quot', 'Prepends a to the quotation below it.', (_i, q: Value[], a: Value) => consed(a, q, 'swons')),
  ],
};
