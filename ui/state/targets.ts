// Target URLs typed into the sender forms: a quick scheme check before the server's own,
// and the last few targets remembered in localStorage. URLs carrying user:password are
// never remembered (they hold a secret).

import { targetKind } from './siem-target.ts';

export const RECENT_TARGETS_KEY = 'soveren-inspector.recent-targets';
export const MAX_RECENT_TARGETS = 5;

/** Why `raw` cannot be a target, in one sentence, or null for an http(s) URL. */
export function describeBadTarget(raw: string): string | null {
  const text = raw.trim();
  if (text === '') return 'Enter the URL to send to (http:// or https://).';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Not a URL: expected something like http://127.0.0.1:8080/webhook.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Only http and https targets are supported, not ${url.protocol}`;
  return null;
}

/** Like describeBadTarget, for replay and forwarding: SIEM schemes (hec+, elastic+, syslog+) too. */
export function describeBadDeliveryTarget(raw: string): string | null {
  const text = raw.trim();
  if (text === '') return 'Enter the URL to send to (http(s)://, hec+http(s)://, elastic+http(s)://host/index or syslog+tcp|udp|tls://).';
  try {
    new URL(text);
  } catch {
    return 'Not a URL: expected something like http://127.0.0.1:8080/webhook or syslog+tcp://127.0.0.1:514.';
  }
  if (targetKind(text) === null) {
    return 'Supported targets: http(s):// (a connector), hec+http(s):// (Splunk HEC), elastic+http(s)://host/index (Elasticsearch) and syslog+tcp|udp|tls://.';
  }
  return null;
}

/** The remembered targets a Soveren-webhook form can use (send, check): http(s) only. */
export function webhookTargets(list: readonly string[]): string[] {
  return list.filter((u) => describeBadTarget(u) === null);
}

function hasCredentials(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.username !== '' || url.password !== '';
  } catch {
    return true;
  }
}

/** The list with `url` moved to the front, duplicates and unrememberable URLs dropped. */
export function addRecentTarget(list: readonly string[], url: string, max = MAX_RECENT_TARGETS): string[] {
  const text = url.trim();
  if (describeBadDeliveryTarget(text) !== null || hasCredentials(text)) return [...list];
  return [text, ...list.filter((u) => u !== text)].slice(0, max);
}

/** Whatever is stored, reduced to valid, credential-free http(s) URLs. */
export function parseRecentTargets(stored: string | null): string[] {
  if (stored === null) return [];
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value)) return [];
    return value
      .filter((u): u is string => typeof u === 'string' && describeBadDeliveryTarget(u) === null && !hasCredentials(u))
      .slice(0, MAX_RECENT_TARGETS);
  } catch {
    return [];
  }
}

export function loadRecentTargets(storage: Pick<Storage, 'getItem'> | null = safeStorage()): string[] {
  try {
    return parseRecentTargets(storage?.getItem(RECENT_TARGETS_KEY) ?? null);
  } catch {
    return [];
  }
}

/** Remembers `url` and returns the new list (storage may be unavailable: then in memory only). */
export function rememberTarget(url: string, storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeStorage()): string[] {
  const next = addRecentTarget(loadRecentTargets(storage), url);
  try {
    storage?.setItem(RECENT_TARGETS_KEY, JSON.stringify(next));
  } catch {
    // Private mode or quota: remembering is a convenience.
  }
  return next;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
