/** `new URL` that answers null instead of throwing, for input that may not be a URL at all. */
export function parseUrl(raw: string, base?: string): URL | null {
  try {
    return new URL(raw, base);
  } catch {
    return null;
  }
}
