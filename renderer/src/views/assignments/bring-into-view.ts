import './bring-into-view.css';

/**
 * Brings a part of the assignment's page into view and focus, outlined for a
 * moment so the eye finds it too: an escalation from the agreement table, a
 * decision from its notification. False when it is not on the page (yet).
 */
export function bringIntoView(elementId: string): boolean {
  const element = document.getElementById(elementId);
  if (!element) return false;
  element.scrollIntoView({ block: 'center', behavior: 'smooth' });
  element.focus({ preventScroll: true });
  element.classList.add('brought-into-view');
  window.setTimeout(() => element.classList.remove('brought-into-view'), 2000);
  return true;
}
