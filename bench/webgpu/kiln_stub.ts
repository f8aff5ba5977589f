// Stand-in for @kiln/engine, used only when the engine's sources failed to bundle (see
// vite.config.ts): every entry point throws the build error, so the benchmark page reports
// "n/a (…)" in Kiln's cells and still measures the peers and the hand-written kernels.
declare const __KILN_STUB_REASON__: string;

const fail = (): never => {
  throw new Error(`@kiln/engine did not bundle: ${__KILN_STUB_REASON__}`);
};
const throwing = new Proxy({}, { get: () => fail });

export const init = async (): Promise<never> => fail();
export const devices = fail;
export const jit = fail;
export const grad = fail;
export const treeMap = fail;
export const blockUntilReady = fail;
export const numpy = throwing;
export const nn = throwing;
