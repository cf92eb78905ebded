/**
 * In-process mutual exclusion by name: `run(name, work)` starts `work` once every earlier `run` of the
 * same name has settled. Names are independent of each other.
 */
export type KeyedMutex = {
  run<T>(name: string, work: () => Promise<T>): Promise<T>;
};

export function createKeyedMutex(): KeyedMutex {
  // The tail of each name's chain; removed when the last holder settles, so names do not accumulate.
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(name, work) {
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(() => work());
      const tail = result.catch(() => {});
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return result;
    },
  };
}
