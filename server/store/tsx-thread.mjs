// Dev and test only: the entry of a thread started from the TypeScript sources (vitest, tsx).
// A thread gets no loader from its parent, so this registers tsx here, then imports the
// thread's .ts entry (its URL is the thread's first argument). The built package never
// starts it: dist/ holds compiled .js threads and tsx is a devDependency (see thread.ts).
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
