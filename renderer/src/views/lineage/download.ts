/**
 * Saves JSON the way a browser saves any download. In the desktop shell the
 * same click reaches Electron's download handling, which asks where to save.
 */
export function downloadJson(fileName: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has started the download: revoking first would cancel it in some browsers.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
