import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Status } from '../shared/api/schemas/app';
import type { UpdateStatus } from '../shared/api/schemas/updates';
import type { Route } from '../shared/routes';
import { trayStatusLine } from '../shared/words';


export interface TrayDeps {
  iconFile: string;
  open(): void;
  show(route: Route): void;
  /** "Restart to update": the core checks again that nothing would be cut off. */
  restart(): void;
  quit(): void;
}

/** The update's line in the tray menu: an offer once it can be installed, else what it waits for. */
function updateItems(update: UpdateStatus | null, restart: () => void): MenuItemConstructorOptions[] {
  if (update?.state !== 'ready' || !update.version) return [];
  if (update.canRestart) return [{ label: `Restart to Update (${update.version})`, click: restart }];
  return [{ label: `Update ${update.version} waits for ${update.waitingFor.join(' and ')}`, enabled: false }];
}

/** A tray icon whose tooltip and first menu line say what the app is doing. */
export function createTray({ iconFile, open, show, restart, quit }: TrayDeps): { update(status: Status, update: UpdateStatus | null): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconFile));
  tray.on('click', open);
  const update = (status: Status, updates: UpdateStatus | null) => {
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
        ...updateItems(updates, restart),
        { label: 'Quit', click: quit },
      ]),
    );
  };
  return { update, destroy: () => tray.destroy() };
}
