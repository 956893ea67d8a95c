import { describeEngine } from './engine-contract.js';
import { createMemoryEngine } from './memory-engine.js';

describeEngine('memory', (opts) => createMemoryEngine({ presenceTtlMs: opts.presenceTtlMs }));
