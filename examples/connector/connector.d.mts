// Types of the reference connector (connector.mjs), for the TypeScript tests that start it.
export function verify(body: Uint8Array, header: unknown, token: string): boolean;
export function toHecEvent(event: Record<string, unknown>, host: string): Record<string, unknown>;
export function startConnector(options: { port?: number; host?: string; token: string; hecUrl: string; hecToken: string }): Promise<{ url: string; close(): Promise<void> }>;
