/** Where the generated API types live: console/src/api/schema.ts. */
export declare const TYPES_FILE: string;
/** The module text for an OpenAPI document's component schemas. */
export declare function renderTypes(document: unknown): string;
