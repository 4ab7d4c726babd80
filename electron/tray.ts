import { Menu, Tray, nativeImage } from 'electron';
import type { Status } from '../shared/api/schemas/app';
import { CONNECTION_WORDS } from '../shared/words';


export function statusLine(status: Status): string {
  const queued = status.queued === 1 ? '1 item waiting to upload' : `${status.queued} items waiting to upload`;
  return `${CONNECTION_WORDS[status.connection]} · ${queued}`;
}

export interface TrayDeps {
  iconFile: string;
  open(): void;
  quit(): void;
}

/** A tray icon whose tooltip and first menu line say what the app is doing. */
export function createTray({ iconFile, open, quit }: TrayDeps): { update(status: Status): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconFile));
  tray.on('click', open);
  const update = (status: Status) => {
    const line = statusLine(status);
    tray.setToolTip(`Annotator Companion — ${line}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: line, enabled: false },
        { type: 'separator' },
        { label: 'Open Annotator Companion', click: open },
        { label: 'Quit', click: quit },
      ]),
    );
  };
  return { update, destroy: () => tray.destroy() };
}
