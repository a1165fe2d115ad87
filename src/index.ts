// The library entry point: run min programs from JavaScript (tests, benchmarks, embedding).
export { runProgram, waitForTasks } from './core/interpreter.js';
export { runCaptured } from './run.js';
export { createRuntime } from './ops/modules.js';
export { Machine } from './core/machine.js';
export { read } from './core/reader.js';
export { show, display } from './core/printer.js';
export { MinError } from './core/errors.js';
