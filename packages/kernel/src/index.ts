import 'reflect-metadata';

export * from './loaded-task.js';
export { Redactor } from './logging/redactor.js';
