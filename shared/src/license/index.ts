export * from './claims';
export * from './sign';
export * from './parse';
export * from './clock';
export * from './verify';
