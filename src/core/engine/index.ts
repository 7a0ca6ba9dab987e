export * from './branchContext';
export * from './engine';
export * from './fold';
export * from './records';
export * from './types';
export * from './view';
