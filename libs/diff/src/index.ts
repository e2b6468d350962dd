export * from './field-set';
export * from './ignore-differences';
export * from './json-value';
export * from './object-diff';
export { type OwnedField, ownedFields, projectOnto } from './owned-fields';
export * from './secret-masking';
