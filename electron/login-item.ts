import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import { writeFileAtomic } from './core/kernel/platform/atomic-file';
import type { LoginItem } from './core/kernel/ports';

/** Started at login: in the tray, without a window. */
export const HIDDEN_FLAG = '--hidden';
const DESKTOP_FILE = 'annotator-companion.desktop';

/**
 * One argument of a Desktop Entry `Exec` line (Desktop Entry Specification 1.5,
 * "The Exec key"): `%` doubled; quoted when it has a reserved character, with
 * `"`, `` ` `` and `$` backslash-escaped inside the quotes, and a backslash
 * written as four, since the string escapes are undone before the quoting.
 */
export function execArgument(arg: string): string {
  const escaped = arg.replaceAll('%', '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(escaped)) return escaped;
  return `"${escaped.replace(/["`$\\]/g, (c) => (c === '\\' ? '\\\\\\\\' : `\\${c}`))}"`;
}

/** What starts this copy: the AppImage itself, the installed binary, or (unpackaged) Electron with the app folder. */
function command(env: NodeJS.ProcessEnv): string[] {
  if (env.APPIMAGE) return [env.APPIMAGE];
  return process.defaultApp && process.argv[1] ? [process.execPath, path.resolve(process.argv[1])] : [process.execPath];
}

/**
 * macOS and Windows: Electron's login item. Linux: Electron has none, so an
 * entry in `$XDG_CONFIG_HOME/autostart` (XDG Autostart Specification 0.5),
 * which GNOME, KDE, Xfce and others start at login.
 */
export function createLoginItem({ env, homedir }: { env: NodeJS.ProcessEnv; homedir: string }): LoginItem {
  return {
    async set(openAtLogin) {
      if (process.platform !== 'linux') {
        app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_FLAG] });
        return;
      }
      const dir = path.join(env.XDG_CONFIG_HOME || path.join(homedir, '.config'), 'autostart');
      const file = path.join(dir, DESKTOP_FILE);
      if (!openAtLogin) {
        await fs.promises.rm(file, { force: true });
        return;
      }
      await fs.promises.mkdir(dir, { recursive: true });
      const entry = [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Annotator Companion',
        'Comment=Keeps your File 360 assignments, Prodigy sessions and uploads going',
        `Exec=${[...command(env), HIDDEN_FLAG].map(execArgument).join(' ')}`,
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n');
      writeFileAtomic(file, entry, 0o644);
    },
  };
}
