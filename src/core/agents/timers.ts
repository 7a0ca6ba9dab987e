// Real timers for the registry's presence sweep and saves and the question store's ask timeouts. Unref'd:
// a pending timer never keeps the process alive by itself (the bridge's server does that).
import type { RegistryTimers } from './types';

export const nodeTimers: RegistryTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
