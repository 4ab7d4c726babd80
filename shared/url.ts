/** `new URL` that answers null instead of throwing, for input that may not be a URL at all. */
export function parseUrl(raw: string, base?: string): URL | null {
  try {
    return new URL(raw, base);
  } catch {
    return null;
  }
}

/**
 * What to type for File 360's address, said wherever one is refused or asked
 * for (the sign-in card, Settings, --server), so the words are the same.
 */
export const SERVER_ADDRESS_HINT = 'Enter the address of your File 360 server, starting with https://';
