export * from './create';
export * from './keys';
export * from './chain';
