import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDslabError } from '../src/errors.js';
import { nginxCommand, nginxConfig } from '../src/services/web/nginx.js';

const listen = [
  { address: '172.30.0.10', port: 80 },
  { address: 'fd00:dead:beef::10', port: 80 },
];

test('nginx config: foreground, exact listeners, every path inside the state folder', () => {
  const conf = nginxConfig({ listen, stateDir: '/run/dslab/lab1/', rootless: false, name: 'web', indexPage: null });
  assert.match(conf, /^daemon off;$/m);
  assert.match(conf, /^master_process on;$/m);
  assert.match(conf, /^\s*listen 172\.30\.0\.10:80;$/m);
  assert.match(conf, /^\s*listen \[fd00:dead:beef::10\]:80;$/m);
  assert.doesNotMatch(conf, /listen (80|\[::\]|0\.0\.0\.0)/);
  assert.match(conf, /^pid \/run\/dslab\/lab1\/nginx\.pid;$/m);
  assert.match(conf, /^error_log \/run\/dslab\/lab1\/nginx-error\.log/m);
  assert.match(conf, /access_log \/run\/dslab\/lab1\/web\.log dslab;/);
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    assert.match(conf, new RegExp(`${t}_temp_path /run/dslab/lab1/\\S+;`));
  }
  // every absolute path the config names lies in the state folder
  for (const m of conf.matchAll(/ (\/[^\s;]+);/g)) assert.ok(m[1]!.startsWith('/run/dslab/lab1/'), m[1]);
  assert.doesNotMatch(conf, /^user /m);
});

test('nginx config: rootless keeps the namespace root instead of switching users', () => {
  const conf = nginxConfig({ listen, stateDir: '/tmp/dslab-1000/lab1', rootless: true, name: 'web', indexPage: null });
  assert.match(conf, /^user root root;$/m);
});

test('nginx config: /whoami is computed from nginx variables, family by a map', () => {
  const conf = nginxConfig({ listen, stateDir: '/s', rootless: false, name: 'web', indexPage: '/var/www/html/index.nginx-debian.html' });
  assert.match(conf, /location = \/whoami/);
  assert.match(conf, /\$remote_port/);
  assert.match(conf, /\$server_addr/);
  assert.match(conf, /map \$remote_addr \$dslab_family/);
  assert.match(conf, /root \/var\/www\/html;/);
  assert.match(conf, /try_files \/index\.nginx-debian\.html =404;/);
});

for (const [what, options, field] of [
  ['relative state folder', { stateDir: 'state', name: 'web', listen }, 'stateDir'],
  ['state folder with a semicolon', { stateDir: '/tmp/a;b', name: 'web', listen }, 'stateDir'],
  ['name with a quote', { stateDir: '/s', name: "we'b", listen }, 'name'],
  ['no listener', { stateDir: '/s', name: 'web', listen: [] }, 'listen'],
  ['port 0', { stateDir: '/s', name: 'web', listen: [{ address: '::1', port: 0 }] }, 'listen[0].port'],
  ['a bracketed address', { stateDir: '/s', name: 'web', listen: [{ address: '[::1]', port: 80 }] }, 'listen[0].address'],
] as const) {
  test(`nginx config refuses ${what} (field ${field})`, () => {
    assert.throws(
      () => nginxConfig({ ...options, listen: [...options.listen], rootless: false }),
      (err) => isDslabError(err, 'DSLAB_E_SERVICE_CONFIG') && err.field === field,
    );
  });
}

test('nginx command: prefix, config and early error log in the state folder', () => {
  assert.deepEqual(nginxCommand('/s/nginx.conf', '/s'), {
    file: '/usr/sbin/nginx',
    args: ['-p', '/s/', '-c', '/s/nginx.conf', '-e', '/s/nginx-error.log'],
  });
});
