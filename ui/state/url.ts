// The UI's own URL: `/?q=<query>&id=<delivery>`, so a view can be bookmarked and shared.

export interface UrlState {
  q: string;
  id: number | null;
}

export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const rawId = params.get('id');
  const id = rawId !== null && /^\d+$/.test(rawId) ? Number(rawId) : null;
  return { q: params.get('q') ?? '', id };
}

// Keep `:`, `/`, `"` and `,` readable in the address bar; they are legal in a query
// component (RFC 3986 section 3.4) and URLSearchParams decodes them either way.
function encodeParam(value: string): string {
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/%2F/gi, '/')
    .replace(/%2C/gi, ',')
    .replace(/%20/g, '+');
}

/** Path plus search for a state: `/`, `/?q=sig:invalid`, `/?q=x&id=5`. */
export function buildUrl(state: UrlState, pathname = '/'): string {
  const parts: string[] = [];
  if (state.q) parts.push(`q=${encodeParam(state.q)}`);
  if (state.id !== null) parts.push(`id=${state.id}`);
  return parts.length ? `${pathname}?${parts.join('&')}` : pathname;
}
