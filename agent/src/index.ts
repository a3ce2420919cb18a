/**
 * @seatlock/agent: the device side of Seatlock. Collects the hardware fingerprint, activates
 * (online or with request files), stores licenses and checks them offline on every boot.
 *
 * @example
 * import { verify } from '@seatlock/agent';
 * const result = await verify({ feature: 'face.recognition' });
 */
export { activate, requestFileName, writeRequest, type Activated } from './activate';
export { BundleWriter, bundleCandidates, isBundle, BUNDLE_HEADER } from './bundle';
export { collect, detectPlatform, Sysroot, type Collected, type DevicePlatform } from './collect';
export { agentConfig, loadConfig, parseConfig, type AgentConfig, type DeclaredComponent } from './config';
export { describeDevice, readDevice, type Device, type DeviceDescription } from './device';
export { diagnose, type ComponentFinding, type DiagnosticReport } from './diagnose';
export { agentEnvironment, DEFAULT_HOME, isReleaseBuild, WATCH_INTERVAL_MS, type AgentEnvironment } from './environment';
export { AgentError, type AgentErrorCode } from './errors';
export { install, installFromBundle, type Installed } from './install';
export { provision, writeProvisionReport, type Provisioned, type ProvisionedDevice, type ProvisionOptions, type ProvisionProgress } from './provision';
export { installedRevocations, installRevocations, type InstalledRevocations } from './revocations';
export { LicenseStore, writeFileAtomic, type StoredLicense } from './store';
export { embeddedRoot, trustRoots } from './trust';
export { verify, type VerifyRequest } from './verify';
export { watch, type WatchOptions } from './watch';
export { VERIFY_CODES, type VerifyResult } from '@seatlock/shared';
