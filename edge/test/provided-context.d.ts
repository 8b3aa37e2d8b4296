// What edge/test/node/global-setup.ts provides to the tests running in workerd.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The simulated providers (`startSimulator`), e.g. `http://127.0.0.1:41234`. */
    simUrl: string;
    /** Regional, as the edge reaches it. */
    regionalUrl: string;
    /** A port nobody listens on: regional down. */
    deadUrl: string;
    /** The HMAC secret edge and regional share in tests. */
    hmacSecret: string;
    /** `HOSTILE_RUNS` from the environment ('' when unset): runs of the hostile suite. */
    hostileRuns: string;
    /** A regional of its own (slow answers: ~1 s each) that a test may kill mid-load. */
    doomedRegionalUrl: string;
    /** `POST` here stops the doomed regional, ending every open connection. */
    doomedKillUrl: string;
  }
}

export {};
