/** Text placed in an HTML page the app writes itself (Prodigy's instructions, the stopped-session page). */
export const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
