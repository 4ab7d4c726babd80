import type { Exchange } from './exchange';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** `/file360/v1/files/:id/content`; `:name` matches one path segment. */
  pattern: string;
  handle(ex: Exchange): Promise<void>;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: Method[] } | null;

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${source}$`), names };
}

/** Method + path to a route; a known path with another method yields the allowed ones (405). */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: Route[]) {
    this.compiled = routes.map(compile);
  }

  match(method: string, path: string): Match {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allowed: Method[] = [];
    for (const { route, regex, names } of this.compiled) {
      const found = regex.exec(path);
      if (!found) continue;
      if (route.method !== wanted) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }
}
