/**
 * A module imported on first use, then kept: the provider SDKs cost tens of MB of memory and
 * start-up time each (openai ≈ 33 MB, the Bedrock runtime ≈ 28 MB of RSS on Node 24), and a
 * service with no provider of that kind should not pay for them (see `preloadSdks`).
 */
export type LazyModule<M> = {
  /** The module, importing it on the first call. */
  load(): Promise<M>;
  /** The module if it has been imported, else undefined (for `instanceof` checks on failures). */
  loaded(): M | undefined;
};

export const lazyModule = <M>(importer: () => Promise<M>): LazyModule<M> => {
  let module: M | undefined;
  let loading: Promise<M> | undefined;
  return {
    load() {
      loading ??= importer().then((loadedModule) => {
        module = loadedModule;
        return loadedModule;
      });
      return loading;
    },
    loaded: () => module,
  };
};
