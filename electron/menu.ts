import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { SECTION_LABELS, SECTIONS, type Route } from '../shared/routes';

export interface MenuDeps {
  show(route: Route): void;
  checkForUpdates(): void;
  dataDir: string;
  devTools: boolean;
}

/** The standard menu, plus Ctrl/Cmd+1…7 for the sidebar's sections (the renderer binds the same keys). */
export function installMenu({ show, checkForUpdates, dataDir, devTools }: MenuDeps): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => show({ section: 'settings' }) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...SECTIONS.map(
          (section, index): MenuItemConstructorOptions => ({
            label: SECTION_LABELS[section],
            accelerator: `CmdOrCtrl+${index + 1}`,
            click: () => show({ section }),
          }),
        ),
        { type: 'separator' },
        { role: 'reload' },
        ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Check for Updates…', click: checkForUpdates },
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
