// Route matching (src/http/routes.ts) on plain records: patterns, parameters,
// methods, and request paths after percent-decoding and dot-segment removal.
import { describe, expect, it } from 'vitest';
import { matchRoute, parseRoute, pathText, queryOf, requestPath, type Route } from '../../src/http/routes.js';

const routes = (...specs: string[]): Route<string>[] => specs.map((s) => parseRoute(s, s));
const path = (p: string) => requestPath(p)!;

function match(rs: Route<string>[], method: string, p: string, upgrade = false) {
  const m = matchRoute(rs, method, path(p), upgrade);
  return m.kind === 'found' ? { target: m.route.target, params: { ...m.params } } : m;
}

describe('request paths', () => {
  it('are decoded segments without dot segments', () => {
    expect(path('/a/../b').segments).toEqual(['b']);
    expect(path('/a/%2e%2E/b').segments).toEqual(['b']);
    expect(path('/../../etc/passwd').segments).toEqual(['etc', 'passwd']);
    expect(path('/a/./b//c').segments).toEqual(['a', 'b', 'c']);
    expect(path('/caf%C3%A9').segments).toEqual(['café']);
  });

  it('keep an encoded slash inside its segment', () => {
    expect(path('/a%2Fb/c').segments).toEqual(['a/b', 'c']);
    expect(pathText(path('/a%2Fb/c'))).toBe('/a%2Fb/c');
  });

  it('note a trailing slash and keep the query apart', () => {
    expect(path('/dir/')).toEqual({ segments: ['dir'], trailingSlash: true, query: '' });
    expect(path('/dir?x=1&y=%20')).toEqual({ segments: ['dir'], trailingSlash: false, query: 'x=1&y=%20' });
  });

  it('are refused when they are no path or badly escaped', () => {
    expect(requestPath('http://example.com/')).toBeNull();
    expect(requestPath('*')).toBeNull();
    expect(requestPath('/a%zz')).toBeNull();
  });

  it('come with a query dict, the last value of a repeated name winning', () => {
    expect({ ...queryOf('q=min+lang&n=1&n=2&e=%C3%A9') }).toEqual({ q: 'min lang', n: '2', e: 'é' });
  });
});

describe('routes', () => {
  const rs = routes('GET /users/:id', 'POST /users', 'GET /files/*rest', 'ANY /any', 'WS /chat', 'DELETE /users/:id');

  it('match literal segments and take :name parameters', () => {
    expect(match(rs, 'GET', '/users/42')).toEqual({ target: 'GET /users/:id', params: { id: '42' } });
    expect(match(rs, 'POST', '/users')).toEqual({ target: 'POST /users', params: {} });
    expect(match(rs, 'GET', '/users/42/more')).toEqual({ kind: 'none' });
  });

  it('take the rest of the path with *name, possibly empty', () => {
    expect(match(rs, 'GET', '/files/a/b/c.txt')).toEqual({ target: 'GET /files/*rest', params: { rest: 'a/b/c.txt' } });
    expect(match(rs, 'GET', '/files')).toEqual({ target: 'GET /files/*rest', params: { rest: '' } });
  });

  it('match after decoding and dot-segment removal', () => {
    expect(match(rs, 'GET', '/a/../users/%37')).toEqual({ target: 'GET /users/:id', params: { id: '7' } });
    expect(match(rs, 'GET', '/users/a%2Fb')).toEqual({ target: 'GET /users/:id', params: { id: 'a/b' } });
  });

  it('try the routes in order; ANY takes every method', () => {
    const two = routes('GET /x/:a', 'GET /x/fixed');
    expect(match(two, 'GET', '/x/fixed')).toEqual({ target: 'GET /x/:a', params: { a: 'fixed' } });
    expect(match(rs, 'PATCH', '/any')).toEqual({ target: 'ANY /any', params: {} });
  });

  it('let HEAD use GET routes', () => {
    expect(match(rs, 'HEAD', '/users/1')).toEqual({ target: 'GET /users/:id', params: { id: '1' } });
  });

  it('say which methods a path takes when the method is not among them', () => {
    expect(match(rs, 'PUT', '/users/1')).toEqual({ kind: 'method', allow: ['GET', 'HEAD', 'DELETE'] });
    expect(match(rs, 'GET', '/users')).toEqual({ kind: 'method', allow: ['POST'] });
  });

  it('give WebSocket upgrades to WS routes only', () => {
    expect(match(rs, 'GET', '/chat', true)).toEqual({ target: 'WS /chat', params: {} });
    expect(match(rs, 'GET', '/users/1', true)).toEqual({ kind: 'none' });
    expect(match(rs, 'GET', '/chat')).toEqual({ kind: 'upgrade' });
  });

  it('read methods in any case', () => {
    expect(parseRoute('get /a', 1).method).toBe('GET');
  });

  it('refuse malformed patterns with the reason', () => {
    expect(() => parseRoute('/users', 1)).toThrow(/Invalid route "\/users": expected a method and a path/);
    expect(() => parseRoute('GET users', 1)).toThrow(/expected a method and a path/);
    expect(() => parseRoute('GET /a/*rest/b', 1)).toThrow(/must come last/);
    expect(() => parseRoute('GET /a/:', 1)).toThrow(/needs a name/);
    expect(() => parseRoute('GET /:a/:a', 1)).toThrow(/used twice/);
    expect(() => parseRoute('GET /a/../b', 1)).toThrow(/is not a path segment/);
    expect(() => parseRoute('G(T /a', 1)).toThrow(/is not a method/);
  });
});
