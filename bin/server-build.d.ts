/** Types of bin/server-build.js (plain JavaScript, so that bin/switchboard.js can use it before tsx is loaded). */

/** Where the build goes, relative to the package root. */
export declare const BUILD_DIR: string;

/** `embedded-server/cli.ts` → `<root>/dist-electron/embedded-server/cli.js`. */
export declare function builtPath(root: string, source: string): string;

/** Records in `buildDir` (a finished build, before it becomes dist-electron/) when it started reading the sources. */
export declare function markBuilt(buildDir: string, startedAtMs: number): void;

export type ServerRuntime =
  /** The compiled build is there and no source is newer: `cli` and `index` are its entries. */
  | { runtime: 'compiled'; cli: string; index: string }
  /** The TypeScript sources under tsx; `reason` says why (one line, for the user). */
  | { runtime: 'tsx'; reason: string };

/** The runtime to use: compiled when built and fresh, tsx otherwise or when `env.SWITCHBOARD_RUNTIME` is `tsx`. */
export declare function serverRuntime(root: string, env?: Record<string, string | undefined>): ServerRuntime;
