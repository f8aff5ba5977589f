// A tiny key-value store over IndexedDB (one database, one object store), and an in-memory
// stand-in with the same interface for tests and for browsers that refuse IndexedDB (private
// modes): the notebook then still works, it just forgets on reload.

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

export function idbStore(dbName = "kiln", storeName = "notebooks"): KeyValueStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(dbName, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(storeName);
      r.onsuccess = () => {
        const conn = r.result;
        // Another tab upgrading the database: let it, reopen on next use.
        conn.onversionchange = () => {
          conn.close();
          db = null;
        };
        resolve(conn);
      };
      r.onerror = () => reject(r.error ?? new Error("IndexedDB could not be opened"));
      r.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
    });
    db.catch(() => (db = null));
    return db;
  };
  const withStore = async <T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const conn = await open();
    const tx = conn.transaction(storeName, mode);
    const result = request(f(tx.objectStore(storeName)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    });
    return result;
  };
  return {
    get: <T>(key: string) => withStore("readonly", (s) => s.get(key) as IDBRequest<T | undefined>),
    set: async (key, value) => void (await withStore("readwrite", (s) => s.put(value, key))),
    delete: async (key) => void (await withStore("readwrite", (s) => s.delete(key))),
  };
}

export function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => (map.has(key) ? (structuredClone(map.get(key)) as T) : undefined),
    set: async (key, value) => void map.set(key, structuredClone(value)),
    delete: async (key) => void map.delete(key),
  };
}

/** IndexedDB when the browser offers it, else memory. */
export function defaultStore(): KeyValueStore {
  return typeof indexedDB === "undefined" ? memoryStore() : idbStore();
}
