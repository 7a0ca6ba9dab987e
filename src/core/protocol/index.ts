export * from './agentResults';
export * from './browserEvents';
export { isPlainArray, isPlainObject } from './fields';
export * from './ids';
export { LIMITS } from './limits';
export * from './parse';
