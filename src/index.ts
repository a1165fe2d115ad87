// The library entry point: run min programs from JavaScript (tests, benchmarks, embedding).
export { runCaptured, runProgram, waitForTasks } from './lang/interpreter.js';
export { createRuntime } from './ops/core.js';
export { Machine } from './lang/machine.js';
export { read } from './lang/reader.js';
export { show, display } from './lang/printer.js';
export { MinError } from './lang/errors.js';
