/**
 * CPU implementation of `threefry2x32`: Threefry-2x32 with 20 rounds (Salmon et al., "Parallel
 * Random Numbers: As Easy as 1, 2, 3"; Random123's threefry2x32_R(20), which JAX lowers in
 * `_threefry2x32_lowering`). Four rounds of add/rotate/xor with the rotation schedule
 * 13,15,26,6 then 17,29,16,24, alternating, and a key injection after every four rounds from the
 * schedule (k0, k1, k0 ^ k1 ^ 0x1BD11BDA) plus the injection count. Arithmetic is on uint32:
 * sums are wrapped with `>>> 0`, rotations use 32-bit shifts.
 */
import { sizeOf } from "../../core/aval.js";
import { broadcastHost } from "./broadcast.js";
import type { CpuImplTable } from "./host_array.js";

const ROT_A = [13, 15, 26, 6];
const ROT_B = [17, 29, 16, 24];
const PARITY = 0x1bd11bda;

const rotl = (v: number, r: number) => ((v << r) | (v >>> (32 - r))) >>> 0;

/** Hash every (k0[i], k1[i], x0[i], x1[i]) into (y0[i], y1[i]). */
export function threefry2x32Words(
  k0: ArrayLike<number>, k1: ArrayLike<number>, x0: ArrayLike<number>, x1: ArrayLike<number>,
  y0: Uint32Array, y1: Uint32Array,
): void {
  const ks = new Uint32Array(3);
  for (let i = 0; i < y0.length; i++) {
    ks[0] = k0[i];
    ks[1] = k1[i];
    ks[2] = ks[0] ^ ks[1] ^ PARITY;
    let a = (x0[i] + ks[0]) >>> 0;
    let b = (x1[i] + ks[1]) >>> 0;
    for (let g = 0; g < 5; g++) {
      const rot = g % 2 === 0 ? ROT_A : ROT_B;
      for (let r = 0; r < 4; r++) {
        a = (a + b) >>> 0;
        b = a ^ rotl(b, rot[r]);
      }
      // Injection g+1 adds ks[(g+1) % 3] and ks[(g+2) % 3] + (g+1).
      a = (a + ks[(g + 1) % 3]) >>> 0;
      b = ((b >>> 0) + ks[(g + 2) % 3] + g + 1) >>> 0;
    }
    y0[i] = a;
    y1[i] = b;
  }
}

export const prngCpu: CpuImplTable<"threefry2x32"> = {
  threefry2x32: (inputs, _params, [out]) => {
    const [k0, k1, x0, x1] = inputs.map((x) => broadcastHost(x, out.shape).data);
    const n = sizeOf(out.shape);
    const y0 = new Uint32Array(n);
    const y1 = new Uint32Array(n);
    threefry2x32Words(k0, k1, x0, x1, y0, y1);
    return [
      { shape: out.shape, dtype: "uint32", data: y0 },
      { shape: out.shape, dtype: "uint32", data: y1 },
    ];
  },
};
