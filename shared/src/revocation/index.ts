export * from './list';
export * from './sign';
export * from './verify';
