export * from './create';
export * from './keys';
export * from './chain';
export * from './policy';
