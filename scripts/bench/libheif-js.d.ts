// libheif-js ships no types; the benchmark's bare pipeline uses its HeifDecoder directly.
declare module 'libheif-js/wasm-bundle' {
  interface HeifImage {
    get_width(): number;
    get_height(): number;
    display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: { data: Uint8ClampedArray } | null) => void): void;
    free(): void;
  }
  const libheif: {
    ready: Promise<void>;
    HeifDecoder: new () => { decode(input: Uint8Array): HeifImage[]; decoder: { delete(): void } };
  };
  export default libheif;
}
