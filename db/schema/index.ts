export * from './settings-versions';
export * from './users';
export * from './groups';
export * from './sessions';
export * from './console-auth';
export * from './audit';
export * from './discovery-cache';
export * from './sign-in-attempts';
