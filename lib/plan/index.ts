export * from './boundary-plan';
export * from './access-plan';
export * from './flows';
export * from './gateway-plan';
export * from './names';
export * from './network-plan';
export * from './secrets-plan';
export * from './workloads-plan';
