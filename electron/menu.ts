import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { SECTION_LABELS, SECTIONS, sectionShown, type Route, type SectionUser } from '../shared/routes';

export interface MenuDeps {
  show(route: Route): void;
  checkForUpdates(): void;
  dataDir: string;
  devTools: boolean;
  /** Who is signed in: the sections they do not use are left out, as in the sidebar. */
  user: SectionUser | null;
}

/**
 * The standard menu, plus Ctrl/Cmd+1…7 for the sidebar's sections (the renderer
 * binds the same keys, so a section left out keeps its number). Installed again
 * when who is signed in changes.
 */
export function installMenu({ show, checkForUpdates, dataDir, devTools, user }: MenuDeps): void {
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
            visible: sectionShown(section, user),
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
