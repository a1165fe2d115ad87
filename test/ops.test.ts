// Every operator table entry has a valid signature and help text. Signatures
// are compiled lazily at run time, so this is where a typo in one shows up.
import { describe, expect, it } from 'vitest';
import { allOps } from '../src/ops/modules.js';
import { prepareOp } from '../src/core/registry.js';

describe('operator tables', () => {
  it('compiles every signature and documents every operator', () => {
    const ops = allOps();
    expect(ops.size).toBeGreaterThan(300);
    for (const [name, op] of ops) {
      expect(() => prepareOp(op), name).not.toThrow();
      expect(op.doc.length, `${name} has help`).toBeGreaterThan(5);
    }
  });
});
