/**
 * Node only: where Dawn comes from (npm `webgpu`, loaded with a dynamic import that bundlers
 * for the browser never follow) and the environment SwiftShader needs on a machine without a
 * GPU (DESIGN.md §9). When no Vulkan driver gives an adapter and Chromium's SwiftShader ICD
 * exists, `VK_ICD_FILENAMES` points at it; when the system has no Vulkan loader, Chromium's copy
 * of libvulkan.so.1 (beside the ICD) is loaded first so that Dawn's dlopen("libvulkan.so.1")
 * finds it by soname.
 */

const CHROMIUM_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
const LOADER_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];
/** glibc's RTLD_NODELETE: keep the library mapped after Node closes the handle. */
const RTLD_NODELETE = 0x1000;

interface NodeProcess {
  env: Record<string, string | undefined>;
  platform: string;
  versions: { node?: string };
  dlopen(module: { exports: unknown }, filename: string, flags?: number): void;
  once(event: "exit", fn: () => void): void;
}

/** The Node `process`, or undefined in browsers and workers without it. */
export function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node ? p : undefined;
}

/** import() of a module by a name bundlers cannot see. */
export function importDynamic(name: string): Promise<Record<string, unknown>> {
  return import(/* @vite-ignore */ name) as Promise<Record<string, unknown>>;
}

export interface NodeGpuModule {
  /** file: URL of the `webgpu` package's entry, for the GPU worker to import. */
  readonly url: string;
  /**
   * Switch the process to Chromium's SwiftShader (once the system's own Vulkan drivers gave no
   * adapter); false when that is not possible or already done.
   */
  useSwiftShader(): boolean;
}

/**
 * Prepare the process for Dawn and locate the `webgpu` package (throws a helpful error if
 * missing). With no Vulkan driver configured and no system Vulkan loader, SwiftShader is selected
 * right away; otherwise the system's drivers get the first chance.
 */
export async function prepareNodeGpu(): Promise<NodeGpuModule> {
  const proc = nodeProcess();
  if (!proc) throw new Error("internal: prepareNodeGpu outside Node");
  const fs = (await importDynamic("node:fs")) as unknown as { existsSync(p: string): boolean };
  const path = (await importDynamic("node:path")) as unknown as { dirname(p: string): string; join(...p: string[]): string };
  const { createRequire } = (await importDynamic("node:module")) as unknown as { createRequire(from: string): { resolve(id: string): string } };
  const { pathToFileURL } = (await importDynamic("node:url")) as unknown as { pathToFileURL(p: string): URL };

  const linux = proc.platform === "linux";
  const dirs = [...(proc.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean), ...LOADER_DIRS];
  const systemLoader = linux && dirs.some((d) => fs.existsSync(path.join(d, "libvulkan.so.1")));
  const configured = () => Boolean(proc.env.VK_ICD_FILENAMES || proc.env.VK_DRIVER_FILES);
  /** Load the Vulkan loader that ships beside the configured ICD when the system has none. */
  const loadBundledLoader = () => {
    const icd = (proc.env.VK_ICD_FILENAMES ?? "").split(":")[0];
    const bundled = icd ? path.join(path.dirname(icd), "libvulkan.so.1") : "";
    if (systemLoader || !bundled || !fs.existsSync(bundled)) return;
    try {
      proc.dlopen({ exports: {} }, bundled, 2 /* RTLD_NOW */ | 256 /* RTLD_GLOBAL */ | RTLD_NODELETE);
    } catch {
      // Expected: it is not a Node addon ("did not self-register"); it stays loaded (RTLD_NODELETE).
    }
  };
  const useSwiftShader = (): boolean => {
    if (!linux || configured() || !fs.existsSync(CHROMIUM_ICD)) return false;
    proc.env.VK_ICD_FILENAMES = CHROMIUM_ICD;
    loadBundledLoader();
    return true;
  };
  if (linux) {
    if (!configured() && !systemLoader) useSwiftShader();
    else loadBundledLoader();
  }
  const found = (url: string): NodeGpuModule => ({ url, useSwiftShader });
  const cwd = (proc as unknown as { cwd(): string }).cwd();
  for (const from of [import.meta.url, pathToFileURL(`${cwd}/`).href]) {
    try {
      return found(pathToFileURL(createRequire(from).resolve("webgpu")).href);
    } catch {
      // try the next place
    }
  }
  throw new Error("The WebGPU backend in Node needs the npm package `webgpu` (Dawn): npm install webgpu@0.6.2");
}
