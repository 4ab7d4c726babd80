/** `new URL` that answers null instead of throwing, for input that may not be a URL at all. */
export function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
