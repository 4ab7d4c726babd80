/** The Push stand-in (CONTRACTS §B): it runs on the File 360 sandbox's server, as `sb.push`. */
export type { PushHandle, PushFaults, PublishInput } from './handle';
export type { PushOptions, Accepted } from './service';
export type { Bounds, Notification } from './state/events';
export type { DeviceView } from './state/devices';
export type { Job } from './state/jobs';
