/**
 * Runs sandboxed, bundled into one CommonJS file. Exposes exactly two
 * functions; the renderer never sees ipcRenderer or an IpcRendererEvent.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type CallResult, type CompanionBridge } from '../shared/api/wire';

const bridge: CompanionBridge = {
  shell: 'electron',
  invoke: (method, input) => ipcRenderer.invoke(IPC_INVOKE, method, input) as Promise<CallResult>,
  on(event, listener) {
    const wrapped = (_: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('companion', bridge);
