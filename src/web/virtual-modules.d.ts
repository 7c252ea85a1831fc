// Modules the bundler makes (src/web/assets.ts), declared for the browser code's type check.

declare module 'virtual:catalogues' {
  /** language -> `<area>.<key>` -> ICU message */
  const catalogues: Record<string, Record<string, string>>;
  export default catalogues;
}
