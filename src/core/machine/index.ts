export * from './context';
export * from './decide';
export * from './events';
export * from './explainRejection';
export * from './persist';
export { sessionMachine } from './sessionMachine';
export * from './snapshot';
