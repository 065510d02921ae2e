// Types of services.js, for the TypeScript end-to-end tests that start the stack through it.
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

/** One of Hookline's services: its name, entry point, default HTTP port and, for the API services, default gRPC port. */
export interface ServiceDefinition {
  name: 'command-service' | 'query-service' | 'dispatcher';
  entry: string;
  portVar: 'PORT';
  port: number;
  grpcPort?: number;
}

/** A started service process. */
export interface ServiceHandle {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 15 s); resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** The end (16 KiB) of what it wrote to stdout and stderr, quiet or not: for a failing test to show. */
  outputTail(): string;
}

export const SERVICES: ServiceDefinition[];
export const ROOT: string;

/**
 * Spawns one service; `env` is merged over process.env. `quiet` does not print its output (the caller may also read
 * `handle.child.stdout`); its pipes are read either way, so a service never blocks on a full one.
 */
export function startService(service: ServiceDefinition, env: Record<string, string>, options?: { out?: Writable; quiet?: boolean }): ServiceHandle;

/** Polls http://127.0.0.1:<port>/readyz until it answers 200; rejects early if the process exits. */
export function waitReady(handle: ServiceHandle, port: number, timeoutMs?: number): Promise<void>;
