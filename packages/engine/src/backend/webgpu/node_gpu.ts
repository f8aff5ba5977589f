/**
 * Node only: where Dawn comes from (npm `webgpu`, loaded with a dynamic import that bundlers
 * for the browser never follow) and the environment SwiftShader needs on a machine without a
 * GPU (DESIGN.md §9). When `VK_ICD_FILENAMES` is unset and Chromium's SwiftShader ICD exists,
 * it is used; when the system has no Vulkan loader, Chromium's copy of libvulkan.so.1 (beside
 * the ICD) is loaded first so that Dawn's dlopen("libvulkan.so.1") finds it by soname.
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
}

/** Prepare the process for Dawn and locate the `webgpu` package (throws a helpful error if missing). */
export async function prepareNodeGpu(): Promise<NodeGpuModule> {
  const proc = nodeProcess();
  if (!proc) throw new Error("internal: prepareNodeGpu outside Node");
  const fs = (await importDynamic("node:fs")) as unknown as { existsSync(p: string): boolean };
  const path = (await importDynamic("node:path")) as unknown as { dirname(p: string): string; join(...p: string[]): string };
  const { createRequire } = (await importDynamic("node:module")) as unknown as { createRequire(from: string): { resolve(id: string): string } };
  const { pathToFileURL } = (await importDynamic("node:url")) as unknown as { pathToFileURL(p: string): URL };

  if (proc.platform === "linux") {
    if (!proc.env.VK_ICD_FILENAMES && !proc.env.VK_DRIVER_FILES && fs.existsSync(CHROMIUM_ICD)) proc.env.VK_ICD_FILENAMES = CHROMIUM_ICD;
    const icd = (proc.env.VK_ICD_FILENAMES ?? "").split(":")[0];
    const dirs = [...(proc.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean), ...LOADER_DIRS];
    const systemLoader = dirs.some((d) => fs.existsSync(path.join(d, "libvulkan.so.1")));
    const bundled = icd ? path.join(path.dirname(icd), "libvulkan.so.1") : "";
    if (!systemLoader && bundled && fs.existsSync(bundled)) {
      try {
        proc.dlopen({ exports: {} }, bundled, 2 /* RTLD_NOW */ | 256 /* RTLD_GLOBAL */ | RTLD_NODELETE);
      } catch {
        // Expected: it is not a Node addon ("did not self-register"); it stays loaded (RTLD_NODELETE).
      }
    }
  }
  const cwd = (proc as unknown as { cwd(): string }).cwd();
  for (const from of [import.meta.url, pathToFileURL(`${cwd}/`).href]) {
    try {
      return { url: pathToFileURL(createRequire(from).resolve("webgpu")).href };
    } catch {
      // try the next place
    }
  }
  throw new Error("The WebGPU backend in Node needs the npm package `webgpu` (Dawn): npm install webgpu@0.6.2");
}
