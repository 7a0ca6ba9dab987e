export * from './engine';
export * from './fold';
export * from './records';
export * from './view';
