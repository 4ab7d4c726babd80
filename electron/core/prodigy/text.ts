import { stripVTControlCharacters } from 'node:util';

/**
 * Prodigy's output as a person reads it: without the ANSI colour codes wasabi
 * adds (whether or not stdout is a terminal) or anything else a terminal would
 * act on, and with Windows line ends made plain.
 */
export function readable(text: string): string {
  return stripVTControlCharacters(text).replace(/\r\n?/g, '\n');
}

/** The same on one line: wasabi wraps messages at 80 columns, so a message may span several. */
export function oneLine(text: string): string {
  return readable(text).replace(/\s+/g, ' ').trim();
}
