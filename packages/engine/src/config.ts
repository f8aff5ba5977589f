/**
 * Global configuration with JAX's flag names (`config.update("jax_enable_x64", true)`).
 * Only flags whose behaviour Kiln implements are accepted.
 */
export interface ConfigFlags {
  /** Allow float64 arrays (CPU backend only). */
  jax_enable_x64: boolean;
  /** "standard" or "strict" implicit promotion in the numpy layer. */
  jax_numpy_dtype_promotion: "standard" | "strict";
  /** PRNG stream layout; true is JAX's current default. */
  jax_threefry_partitionable: boolean;
}

const defaults: ConfigFlags = { jax_enable_x64: false, jax_numpy_dtype_promotion: "standard", jax_threefry_partitionable: true };

class Config implements ConfigFlags {
  jax_enable_x64 = defaults.jax_enable_x64;
  jax_numpy_dtype_promotion = defaults.jax_numpy_dtype_promotion;
  jax_threefry_partitionable = defaults.jax_threefry_partitionable;

  update<K extends keyof ConfigFlags>(name: K, value: ConfigFlags[K]): void {
    if (!(name in defaults)) throw new Error(`Unknown or unsupported config option: ${String(name)}. Supported: ${Object.keys(defaults).join(", ")}.`);
    if (typeof value !== typeof defaults[name]) throw new TypeError(`config.update("${name}", …) expects a ${typeof defaults[name]}, got ${typeof value}.`);
    (this as ConfigFlags)[name] = value;
  }

  /** Restore defaults (tests). */
  reset(): void {
    Object.assign(this, defaults);
  }
}

export const config = new Config();
