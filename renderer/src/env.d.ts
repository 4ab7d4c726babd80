import type { CompanionBridge } from '../../shared/api/wire';

declare global {
  interface Window {
    /** Present in the Electron shell (the preload puts it there); absent in the browser shell. */
    companion?: CompanionBridge;
  }
}
