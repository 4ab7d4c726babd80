/** The File 360 stand-in (CONTRACTS §A): start it, seed it, break it on purpose, read its counters. */
export { startFile360Sandbox, CLIENT_ID, type File360Sandbox, type File360SandboxOptions, type StorageHandle } from './server';
export type { StorageSettings, StorageRequest } from './storage';
export { sampleFixture, generatedFixture, FixtureSchema, type Fixture, type FixtureAssignment, type FixtureFile, type FixtureUser, type GeneratedFixtureOptions } from './fixture';
export type { SandboxAdmin, FaultSwitches, AssignmentView } from './admin';
export type { FaultSettings } from './faults';
export type { SandboxClock } from './clock';
export type { SandboxStats } from './stats';
export type { SandboxUser } from './state/users';
export type { FileItem, FileChange } from './state/files';
export type { PushHandle, PushFaults, PublishInput, PushOptions } from '../push';
