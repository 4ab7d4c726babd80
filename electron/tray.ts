import { Menu, Tray, nativeImage } from 'electron';
import type { Status } from '../shared/api/schemas/app';
import type { Route } from '../shared/routes';
import { trayStatusLine } from '../shared/words';


export interface TrayDeps {
  iconFile: string;
  open(): void;
  show(route: Route): void;
  quit(): void;
}

/** A tray icon whose tooltip and first menu line say what the app is doing. */
export function createTray({ iconFile, open, show, quit }: TrayDeps): { update(status: Status): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconFile));
  tray.on('click', open);
  const update = (status: Status) => {
    const line = trayStatusLine(status);
    tray.setToolTip(`Annotator Companion — ${line}`);
    // macOS shows text beside the icon; elsewhere the unread count lives in the menu and the launcher badge.
    if (process.platform === 'darwin') tray.setTitle(status.unread > 0 ? String(Math.min(status.unread, 99)) : '');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: line, enabled: false },
        { type: 'separator' },
        ...(status.unread > 0 ? [{ label: `Notifications (${status.unread.toLocaleString('en')} unread)…`, click: () => show({ section: 'notifications' }) }] : []),
        { label: 'Open Annotator Companion', click: open },
        { label: 'Quit', click: quit },
      ]),
    );
  };
  return { update, destroy: () => tray.destroy() };
}
