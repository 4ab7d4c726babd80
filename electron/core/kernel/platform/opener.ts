import { spawn } from 'node:child_process';
import { parseUrl } from '../../../../shared/url';
import type { Logger, Opener } from '../ports';

/** Only web links leave the app; re-serialised so the OS never sees the raw string. */
export function safeExternalUrl(raw: string): string | null {
  const url = parseUrl(raw);
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.href : null;
}

function systemOpenCommand(platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', []];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler']];
  return ['xdg-open', []];
}

/** The browser shell's opener: the OS's own "open this link" command, no shell involved. */
export function createSystemOpener(logger: Logger, platform: NodeJS.Platform = process.platform): Opener {
  return {
    openExternal(raw) {
      const url = safeExternalUrl(raw);
      if (!url) return Promise.reject(new Error('Only http and https links can be opened.'));
      const [command, args] = systemOpenCommand(platform);
      return new Promise((resolve, reject) => {
        const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
        child.once('error', (error) => {
          logger.warn('could not open a browser', { command, error });
          reject(new Error(`Could not start "${command}" to open the link.`));
        });
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
    },
  };
}
