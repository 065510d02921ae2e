import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * A context manager that keeps no ambient context: `context.active()` is always the root context and `context.with(ctx, fn)`
 * just calls `fn`. Spans and trace headers still work when their parent context is passed explicitly.
 *
 * Why: on Node 20 the AsyncLocalStorage behind the default manager installs promise hooks that run for every promise the
 * process creates, once any context is entered. A dispatcher draining a backlog spent about a tenth of its CPU there, for
 * context nothing read when no span is recorded.
 */
export class ExplicitContextManager implements ContextManager {
  active(): Context {
    return ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(_context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return fn.call(thisArg, ...args);
  }

  bind<T>(_context: Context, target: T): T {
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    return this;
  }
}
