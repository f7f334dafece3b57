import { describe, expect, it } from 'vitest';
import { learnRouteTemplates, RouteTemplater, segmentPattern, templatePath } from './route-template.js';

function learn(paths: string[], host: string | null = 'api.example.com'): (p: string) => string {
  const m = learnRouteTemplates(paths.map((path) => ({ host, path, count: 1 })));
  return (p) => m.get((host ?? '') + '\u0000' + p)!;
}

describe('segment patterns', () => {
  it.each([
    ['123', '{id}'],
    ['9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', '{uuid}'],
    ['d41d8cd98f00b204e9800998ecf8427e', '{hash}'],
    ['5f8d0d55b54764421b7156c3', '{hash}'],
    ['eyJhbGciOiJIUzI1NiJ9xYz0123', '{token}'],
    ['jane.doe@example.com', '{email}'],
    ['jane.doe%40example.com', '{email}'],
    ['2024-05-01', '{date}'],
    ['[REDACTED:R-U3#abcdef012345]', '{token}'],
    ['{token}', '{token}'],
    ['00008101-001C59490C80801E', '{id}'],
  ])('%s → %s', (seg, want) => expect(segmentPattern(seg)).toBe(want));

  it.each(['users', 'v2', 'orders', 'index.php', 'favicon.ico', 'deadbeef', 'logstash-monitorama-2013', 'ec2-reserved-vs-ondemand'])('%s stays literal', (seg) => {
    expect(segmentPattern(seg)).toBeNull();
  });

  it('keeps extensions and trailing slashes', () => {
    expect(templatePath('/img/42.jpg')).toBe('/img/{id}.jpg');
    expect(templatePath('/bbs/')).toBe('/bbs/');
    expect(templatePath('/')).toBe('/');
    expect(templatePath('/users/123/orders/9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f')).toBe('/users/{id}/orders/{uuid}');
  });
});

describe('learned templates', () => {
  it('templates the issue example', () => {
    const t = learn(['/users/123/orders/9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', '/users/7/orders/0a1b2c3d-4b5a-4c6d-8e7f-0a1b2c3d4e5f']);
    expect(t('/users/123/orders/9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f')).toBe('/users/{id}/orders/{uuid}');
  });

  it('learns id-like siblings but keeps word siblings', () => {
    const paths = ['/orders/ord-1001', '/orders/ord-1002', '/orders/ord-1003', '/orders/ord-1004/items', '/orders/search', '/orders/export'];
    const t = learn(paths);
    expect(t('/orders/ord-1001')).toBe('/orders/{id}');
    expect(t('/orders/ord-1004/items')).toBe('/orders/{id}/items');
    expect(t('/orders/search')).toBe('/orders/search');
    expect(t('/orders/export')).toBe('/orders/export');
  });

  it('does not merge resource collections that share placeholder children', () => {
    const paths = ['users', 'orders', 'products', 'invoices', 'carts'].flatMap((c) => [`/api/${c}/1`, `/api/${c}/2`]);
    const t = learn(paths);
    expect(t('/api/users/1')).toBe('/api/users/{id}');
    expect(t('/api/carts/2')).toBe('/api/carts/{id}');
  });

  it('merges name-like siblings sharing a literal continuation', () => {
    const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const t = learn([...names.map((n) => `/users/${n}/repos`), ...names.map((n) => `/users/${n}/followers`), '/users/me']);
    expect(t('/users/alice/repos')).toBe('/users/{param}/repos');
    expect(t('/users/erin/followers')).toBe('/users/{param}/followers');
    expect(t('/users/me')).toBe('/users/me');
  });

  it('merges high-cardinality positions below the root, never the root itself', () => {
    const slugs = Array.from({ length: 60 }, (_, i) => `post-about-${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10)]}`);
    const t = learn([...slugs.map((s) => `/blog/${s}`), ...slugs.map((s) => `/${s}`)]);
    expect(t('/blog/post-about-ak')).toBe('/blog/{param}');
    expect(t('/post-about-ak')).toBe('/post-about-ak');
  });

  it('keeps versions literal and learns per host', () => {
    const m = learnRouteTemplates([
      { host: 'a.example.com', path: '/v1/items/1', count: 3 },
      { host: 'a.example.com', path: '/v2/items/1', count: 3 },
      { host: 'a.example.com', path: '/v3/items/1', count: 3 },
      { host: null, path: '/v1/items/55', count: 1 },
    ]);
    expect(m.get('a.example.com\u0000/v2/items/1')).toBe('/v2/items/{id}');
    expect(m.get('\u0000/v1/items/55')).toBe('/v1/items/{id}');
  });

  it('never turns version segments into parameters', () => {
    const t = learn(['v1', 'v2', 'v3', 'v4', 'v5'].flatMap((v) => [`/api/${v}/users/1`, `/api/${v}/orders/2`]));
    expect(t('/api/v1/users/1')).toBe('/api/v1/users/{id}');
    expect(t('/api/v5/orders/2')).toBe('/api/v5/orders/{id}');
  });

  it('templates file names with ids and keeps the extension', () => {
    const t = learn(['/img/a1.png', '/img/b2.png', '/img/c3.png', '/img/logo.png']);
    expect(t('/img/a1.png')).toBe('/img/{id}.png');
    expect(t('/img/logo.png')).toBe('/img/logo.png');
  });
});

describe('RouteTemplater (learning from a bounded set of paths)', () => {
  // Synthetic paths: users with ids and names, a crawler's per-page slugs, versions.
  const rows = [
    ...Array.from({ length: 60 }, (_, i) => `/users/u${i * 7}/repos`),
    ...Array.from({ length: 50 }, (_, i) => `/docs/page-${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}/edit`),
    '/users/me/repos', '/v1/items/3', '/v2/items/4', '/health', '/',
  ].map((path) => ({ host: 'api.example.com', path, count: 1 }));

  it('gives every learned path the template learnRouteTemplates gives it', () => {
    const m = learnRouteTemplates(rows);
    const t = RouteTemplater.learn(rows);
    for (const r of rows) expect(t.template(r.host, r.path)).toBe(m.get(`${r.host}\u0000${r.path}`));
    expect(t.get(`api.example.com\u0000/users/u7/repos`)).toBe('/users/{id}/repos');
  });

  it('templates an unseen path as the merges it falls under', () => {
    const t = RouteTemplater.learn(rows);
    expect(t.template('api.example.com', '/users/u99999/repos')).toBe('/users/{id}/repos'); // id-like sibling of merged ids
    expect(t.template('api.example.com', '/docs/page-zz/edit')).toBe('/docs/{param}/edit'); // a high-cardinality position
    expect(t.template('api.example.com', '/users/someone/repos')).toBe('/users/someone/repos'); // not id-like: stays literal
    expect(t.template('api.example.com', '/v3/items/9')).toBe('/v3/items/{id}'); // versions are never merged
    expect(t.template('other.example.com', '/a/123')).toBe(templatePath('/a/123')); // unknown host: patterns only
    expect(t.template(null, null)).toBe('/');
  });
});
