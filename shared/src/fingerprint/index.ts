export * from './components';
export * from './normalize';
export * from './placeholders';
export * from './fingerprint';
export * from './match';
export * from './declared';
export * from './label';
