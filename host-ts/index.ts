// The package root: the public API (api.ts).
export * from "./api.js";
