import v8 from 'node:v8';
import { afterAll } from 'vitest';

/** With NODE_V8_COVERAGE set, writes this worker's coverage now: a worker that is stopped rather than exited would not. */
afterAll(() => {
  if (process.env.NODE_V8_COVERAGE) v8.takeCoverage();
});
