#!/usr/bin/env node
// CLI launcher: runs the TypeScript sources through tsx's loader (no separate build step).
import { register } from 'tsx/esm/api';

register();
await import('../server/main.ts');
