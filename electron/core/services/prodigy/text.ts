import { stripVTControlCharacters } from 'node:util';
import { clipWords } from '../../../../shared/words';

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

/** An item's text as people read it in lists: folded whitespace, at most 240 characters. */
export function taskText(task: Record<string, unknown>): string {
  const text = typeof task.text === 'string' ? task.text : typeof task.html === 'string' ? task.html.replace(/<[^>]*>/g, ' ') : typeof task.image === 'string' ? 'Image' : JSON.stringify(task);
  return clipWords(text, 240);
}
